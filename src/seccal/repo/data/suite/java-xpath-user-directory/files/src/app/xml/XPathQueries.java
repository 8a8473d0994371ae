package app.xml;

import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** XPath helper: pass untrusted values as $variables, never inside the expression text. */
public final class XPathQueries {
    private XPathQueries() {}

    /** Evaluate expr (which may reference $name variables bound from vars) to a node list. */
    public static NodeList evaluate(Document doc, String expr, Map<String, String> vars)
            throws XPathExpressionException {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setXPathVariableResolver((QName name) -> vars.get(name.getLocalPart()));
        return (NodeList) xpath.evaluate(expr, doc, XPathConstants.NODESET);
    }
}
