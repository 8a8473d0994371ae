long upload_read(const char *root, const char *name, char *out, size_t cap) {
    char path[PATH_BUF];
    if (cap == 0 || path_join(path, sizeof(path), root, name) != 0) {
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
    return (long)n;
}
