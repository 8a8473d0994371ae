int banner_greeting(struct textbuf *tb, const char *user, const char *host) {
    int n = sprintf(tb->data, "Welcome, %s! You are connected to %s.", user, host);
    tb->len = (size_t)n;
    return 0;
}
