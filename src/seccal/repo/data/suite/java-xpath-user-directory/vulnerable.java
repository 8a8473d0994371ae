public String authenticate(String user, String password) throws Exception {
    String expr = "/users/user[@name='" + user + "' and @password='" + password + "']";
    NodeList hits = (NodeList) XPathFactory.newInstance().newXPath()
        .evaluate(expr, doc, XPathConstants.NODESET);
    if (hits.getLength() == 0) {
        return null;
    }
    return ((Element) hits.item(0)).getAttribute("role");
}
