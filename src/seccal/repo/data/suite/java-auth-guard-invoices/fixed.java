public Response get(Session session, String invoiceId) {
    if (session == null) {
        return Response.status(401);
    }
    Optional<Invoice> invoice = repo.find(invoiceId);
    if (invoice.isEmpty() || !AccessGuard.canAccess(session, invoice.get().ownerId())) {
        return Response.status(404);
    }
    return Response.ok(invoice.get().toJson());
}
