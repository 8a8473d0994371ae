import java.nio.file.Files;
import java.nio.file.Path;

final class Fixture {
    static Path make() throws Exception {
        Path root = Files.createTempDirectory("reports");
        Path dir = Files.createDirectories(root.resolve("reports/acme"));
        Files.writeString(dir.resolve("q1.csv"), "month,total\njan,10\n");
        Files.writeString(root.resolve("reports/globex-q1.csv"), "globex private");
        return dir;
    }
}
