package app.config;

import app.xml.XmlParsers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Imports feature flags exported by another environment. */
public final class FlagImporter {
    private FlagImporter() {}

<<<SECCAL_REGION>>>
}
