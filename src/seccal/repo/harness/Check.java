// seccal's tiny Java test harness: named checks, a summary line, exit status 1 on any failure.
public final class Check {
    private static int failures = 0;
    private static int checks = 0;

    private Check() {}

    public interface Body { void run() throws Exception; }

    /** Run one named check; an exception or a false assertion fails it. */
    public static void test(String name, Body body) {
        checks++;
        try {
            body.run();
            System.out.println("ok " + name);
        } catch (Throwable t) {
            failures++;
            System.out.println("FAIL " + name + ": " + t);
        }
    }

    public static void that(boolean cond, String msg) {
        if (!cond) throw new AssertionError(msg);
    }

    public static void equal(Object expected, Object actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError("expected <" + expected + "> but got <" + actual + ">");
        }
    }

    public static void finish() {
        System.out.println(checks + " checks, " + failures + " failed");
        System.exit(failures == 0 ? 0 : 1);
    }
}
