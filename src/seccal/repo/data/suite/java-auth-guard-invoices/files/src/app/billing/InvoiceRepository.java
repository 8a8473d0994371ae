package app.billing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

public final class InvoiceRepository {
    private final Map<String, Invoice> byId = new HashMap<>();

    public void save(Invoice invoice) {
        byId.put(invoice.id(), invoice);
    }

    public Optional<Invoice> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
