package app.web;

/** The logged-in caller. */
public record Session(String userId, boolean billingStaff) {}
