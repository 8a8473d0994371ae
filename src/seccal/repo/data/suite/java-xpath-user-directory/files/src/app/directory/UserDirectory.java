package app.directory;

import app.xml.XPathQueries;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Users of the intranet, loaded from users.xml. */
public final class UserDirectory {
    private final Document doc;

    public UserDirectory(String xml) throws Exception {
        this.doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

<<<SECCAL_REGION>>>
}
