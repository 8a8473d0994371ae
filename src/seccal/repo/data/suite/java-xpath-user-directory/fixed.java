public String authenticate(String user, String password) throws Exception {
    NodeList hits = XPathQueries.evaluate(doc,
        "/users/user[@name=$user and @password=$password]",
        Map.of("user", user, "password", password));
    if (hits.getLength() == 0) {
        return null;
    }
    return ((Element) hits.item(0)).getAttribute("role");
}
