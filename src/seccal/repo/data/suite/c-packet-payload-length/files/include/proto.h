#ifndef PROTO_H
#define PROTO_H

#include <stddef.h>
#include <stdint.h>

/* Wire format: [type:1][flags:1][length:2, big endian][payload:length] */
#define PROTO_HEADER_LEN 4
#define PROTO_MAX_PAYLOAD 64

enum packet_type { PKT_PING = 1, PKT_METRIC = 2, PKT_LOG = 3 };

struct packet {
    uint8_t type;
    uint8_t flags;
    uint16_t length;
    uint8_t payload[PROTO_MAX_PAYLOAD];
};

uint16_t proto_read_u16(const uint8_t *p);
int proto_decode(const uint8_t *buf, size_t len, struct packet *out);
size_t proto_encode(const struct packet *in, uint8_t *buf, size_t cap);

#endif
