/*
 * A stand-in for libnvtx3interop.so.1 with NVTX 3's range calls and nvtxEventAttributes_t layout,
 * for tests on machines without NVIDIA's libraries: it records what it was given.
 */
#include <stdint.h>
#include <string.h>

typedef struct {
    uint16_t version;
    uint16_t size;
    uint32_t category;
    int32_t colorType;
    uint32_t color;
    int32_t payloadType;
    int32_t reserved0;
    union { uint64_t ullValue; int64_t llValue; double dValue; } payload;
    int32_t messageType;
    union { const char *ascii; const void *unicode; void *registered; } message;
} nvtxEventAttributes_t;

static uint64_t next_id = 1;
static int open_ranges = 0;
static char last_message[256];
static uint32_t last_color = 0;
static int bad_attributes = 0;

uint64_t nvtxRangeStartEx(const nvtxEventAttributes_t *a) {
    if (a->version != 3 || a->size != sizeof(nvtxEventAttributes_t) || a->messageType != 1 || a->colorType != 1) {
        bad_attributes++;
        return 0;
    }
    strncpy(last_message, a->message.ascii, sizeof last_message - 1);
    last_color = a->color;
    open_ranges++;
    return next_id++;
}

uint64_t nvtxRangeStartA(const char *message) {
    strncpy(last_message, message, sizeof last_message - 1);
    open_ranges++;
    return next_id++;
}

void nvtxRangeEnd(uint64_t id) { if (id > 0 && id < next_id) open_ranges--; }

/* for the test */
int standin_open_ranges(void) { return open_ranges; }
const char *standin_last_message(void) { return last_message; }
uint32_t standin_last_color(void) { return last_color; }
int standin_bad_attributes(void) { return bad_attributes; }
int standin_attributes_size(void) { return (int) sizeof(nvtxEventAttributes_t); }
