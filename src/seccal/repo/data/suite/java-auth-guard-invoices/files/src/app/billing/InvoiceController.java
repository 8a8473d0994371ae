package app.billing;

import app.web.AccessGuard;
import app.web.Response;
import app.web.Session;
import java.util.Optional;

public final class InvoiceController {
    private final InvoiceRepository repo;

    public InvoiceController(InvoiceRepository repo) {
        this.repo = repo;
    }

<<<SECCAL_REGION>>>
}
