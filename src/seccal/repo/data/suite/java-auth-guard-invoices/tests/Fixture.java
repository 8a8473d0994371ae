import app.billing.Invoice;
import app.billing.InvoiceController;
import app.billing.InvoiceRepository;

final class Fixture {
    static InvoiceController controller() {
        InvoiceRepository repo = new InvoiceRepository();
        repo.save(new Invoice("inv-1", "alice", 1200));
        repo.save(new Invoice("inv-2", "bob", 99000));
        return new InvoiceController(repo);
    }
}
