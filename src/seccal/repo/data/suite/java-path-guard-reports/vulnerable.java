public Optional<String> read(String name) {
    try {
        return Optional.of(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
    } catch (IOException e) {
        return Optional.empty();
    }
}
