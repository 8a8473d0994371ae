import app.reports.ReportStore;
import java.util.Optional;

public class FunctionalTest {
    public static void main(String[] args) throws Exception {
        ReportStore store = new ReportStore(Fixture.make());
        Check.test("reads report", () -> Check.equal(Optional.of("month,total\njan,10\n"), store.read("q1.csv")));
        Check.test("missing report", () -> Check.equal(Optional.empty(), store.read("q9.csv")));
        Check.finish();
    }
}
