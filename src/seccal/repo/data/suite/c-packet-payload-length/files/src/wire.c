#include <string.h>

#include "proto.h"

uint16_t proto_read_u16(const uint8_t *p) {
    return (uint16_t)((p[0] << 8) | p[1]);
}

size_t proto_encode(const struct packet *in, uint8_t *buf, size_t cap) {
    size_t total = PROTO_HEADER_LEN + (size_t)in->length;
    if (in->length > PROTO_MAX_PAYLOAD || total > cap) {
        return 0;
    }
    buf[0] = in->type;
    buf[1] = in->flags;
    buf[2] = (uint8_t)(in->length >> 8);
    buf[3] = (uint8_t)(in->length & 0xff);
    memcpy(buf + PROTO_HEADER_LEN, in->payload, in->length);
    return total;
}
