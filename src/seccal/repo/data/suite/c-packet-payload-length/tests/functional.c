#include <string.h>

#include "check.h"
#include "proto.h"

int main(void) {
    struct packet in = {PKT_METRIC, 0x01, 5, "cpu=9"};
    uint8_t wire[128];
    size_t n = proto_encode(&in, wire, sizeof(wire));
    CHECK(n == 9, "encoded length");
    struct packet out;
    CHECK(proto_decode(wire, n, &out) == 9, "decoded length");
    CHECK(out.type == PKT_METRIC && out.flags == 1 && out.length == 5, "header fields");
    CHECK(memcmp(out.payload, "cpu=9", 5) == 0, "payload");
    struct packet ping = {PKT_PING, 0, 0, {0}};
    n = proto_encode(&ping, wire, sizeof(wire));
    CHECK(proto_decode(wire, n, &out) == 4 && out.length == 0, "empty payload");
    CHECK(proto_decode(wire, 2, &out) == -1, "short header rejected");
    return finish();
}
