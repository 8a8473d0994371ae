package app.web;

/** Object-level authorization shared by all controllers. */
public final class AccessGuard {
    private AccessGuard() {}

    /** True if the session may see a resource owned by ownerId. */
    public static boolean canAccess(Session session, String ownerId) {
        if (session == null) {
            return false;
        }
        return session.billingStaff() || session.userId().equals(ownerId);
    }
}
