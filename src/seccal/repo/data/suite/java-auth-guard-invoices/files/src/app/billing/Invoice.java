package app.billing;

public record Invoice(String id, String ownerId, long cents) {
    public String toJson() {
        return "{\"id\":\"" + id + "\",\"owner\":\"" + ownerId + "\",\"cents\":" + cents + "}";
    }
}
