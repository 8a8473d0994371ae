import app.ops.Diagnostics;

public class FunctionalTest {
    public static void main(String[] args) {
        Check.test("localhost resolves", () -> {
            String out = Diagnostics.lookup("localhost");
            Check.that(out.contains("127.0.0.1") || out.contains("::1"), out);
        });
        Check.test("unknown host gives empty output", () -> Check.equal("", Diagnostics.lookup("no-such-host.invalid")));
        Check.finish();
    }
}
