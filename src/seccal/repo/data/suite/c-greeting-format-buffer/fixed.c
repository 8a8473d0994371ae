int banner_greeting(struct textbuf *tb, const char *user, const char *host) {
    return textbuf_printf(tb, "Welcome, %s! You are connected to %s.", user, host);
}
