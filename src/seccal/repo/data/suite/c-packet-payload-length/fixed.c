int proto_decode(const uint8_t *buf, size_t len, struct packet *out) {
    if (len < PROTO_HEADER_LEN) {
        return -1;
    }
    uint16_t plen = proto_read_u16(buf + 2);
    if (plen > PROTO_MAX_PAYLOAD || len - PROTO_HEADER_LEN < plen) {
        return -1;
    }
    out->type = buf[0];
    out->flags = buf[1];
    out->length = plen;
    memcpy(out->payload, buf + PROTO_HEADER_LEN, plen);
    return PROTO_HEADER_LEN + plen;
}
