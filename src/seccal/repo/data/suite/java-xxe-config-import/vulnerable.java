public static Map<String, String> parse(String xml) throws ImportException {
    try {
        DocumentBuilder builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        Document doc = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> flags = new LinkedHashMap<>();
        NodeList nodes = doc.getElementsByTagName("flag");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            flags.put(e.getAttribute("name"), e.getTextContent().trim());
        }
        return flags;
    } catch (Exception e) {
        throw new ImportException("invalid flag document", e);
    }
}
