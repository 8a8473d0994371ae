public Optional<String> read(String name) {
    Optional<Path> path = PathGuard.resolve(dir, name);
    if (path.isEmpty()) {
        return Optional.empty();
    }
    try {
        return Optional.of(Files.readString(path.get(), StandardCharsets.UTF_8));
    } catch (IOException e) {
        return Optional.empty();
    }
}
