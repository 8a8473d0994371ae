import app.billing.InvoiceController;
import app.web.Response;
import app.web.Session;

public class FunctionalTest {
    public static void main(String[] args) {
        InvoiceController c = Fixture.controller();
        Check.test("owner reads invoice", () -> {
            Response r = c.get(new Session("alice", false), "inv-1");
            Check.equal(200, r.status());
            Check.that(r.body().contains("1200"), r.body());
        });
        Check.test("staff reads any invoice", () -> Check.equal(200, c.get(new Session("carol", true), "inv-2").status()));
        Check.test("missing invoice", () -> Check.equal(404, c.get(new Session("alice", false), "inv-9").status()));
        Check.finish();
    }
}
