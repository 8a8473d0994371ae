import app.config.FlagImporter;
import app.config.ImportException;
import java.util.Map;

public class FunctionalTest {
    public static void main(String[] args) {
        Check.test("parses flags", () -> {
            Map<String, String> m = FlagImporter.parse(
                "<flags><flag name=\"beta\"> true </flag><flag name=\"dark\">false</flag></flags>");
            Check.equal("true", m.get("beta"));
            Check.equal("false", m.get("dark"));
            Check.equal(2, m.size());
        });
        Check.test("malformed document", () -> {
            try {
                FlagImporter.parse("<flags><flag>");
                Check.that(false, "expected ImportException");
            } catch (ImportException expected) {
                // ok
            }
        });
        Check.finish();
    }
}
