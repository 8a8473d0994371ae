public static String lookup(String host) throws IOException, InterruptedException {
    Process p = Runtime.getRuntime().exec(new String[] {"sh", "-c", "getent hosts " + host});
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
}
