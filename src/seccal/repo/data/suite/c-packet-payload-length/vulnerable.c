int proto_decode(const uint8_t *buf, size_t len, struct packet *out) {
    if (len < PROTO_HEADER_LEN) {
        return -1;
    }
    out->type = buf[0];
    out->flags = buf[1];
    out->length = proto_read_u16(buf + 2);
    memcpy(out->payload, buf + PROTO_HEADER_LEN, out->length);
    return PROTO_HEADER_LEN + out->length;
}
