/*
 * A stand-in for NVIDIA's libnvidia-ml.so.1 with the same signatures as nvml.h, for tests on
 * machines without a GPU: two devices, device 1 answering NOT_SUPPORTED for utilization as a MIG
 * device does. Compile with -DINIT_RESULT=9 for a driver that is not loaded.
 */
#include <string.h>

#ifndef INIT_RESULT
#define INIT_RESULT 0
#endif

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total; unsigned long long free; unsigned long long used; } nvmlMemory_t;
typedef struct { int index; } device_t;

static device_t devices[2] = {{0}, {1}};
static int initialised = 0;
static int utilization_calls[2] = {0, 0};

static int valid(device_t *d) { return d == &devices[0] || d == &devices[1]; }

int nvmlInit_v2(void) { if (INIT_RESULT == 0) initialised = 1; return INIT_RESULT; }
int nvmlShutdown(void) { initialised = 0; return 0; }

int nvmlDeviceGetCount_v2(unsigned int *count) {
    if (!initialised) return 1;
    *count = 2;
    return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, device_t **device) {
    if (!initialised) return 1;
    if (index > 1) return 2;
    *device = &devices[index];
    return 0;
}

int nvmlDeviceGetName(device_t *device, char *name, unsigned int length) {
    if (!valid(device)) return 2;
    if (length < 32) return 7; /* insufficient size */
    strcpy(name, device->index == 0 ? "Stand-in GPU A100" : "Stand-in GPU MIG 1g.10gb");
    return 0;
}

int nvmlDeviceGetUtilizationRates(device_t *device, nvmlUtilization_t *u) {
    if (!valid(device)) return 2;
    utilization_calls[device->index]++;
    if (device->index == 1) return 3; /* not supported, as on a MIG device */
    u->gpu = 87;
    u->memory = 40;
    return 0;
}

int nvmlDeviceGetMemoryInfo(device_t *device, nvmlMemory_t *m) {
    if (!valid(device)) return 2;
    m->total = 80ULL << 30;
    m->used = (1ULL << 30) + (unsigned long long) device->index;
    m->free = m->total - m->used;
    return 0;
}

int nvmlDeviceGetTemperature(device_t *device, int sensor, unsigned int *celsius) {
    if (!valid(device) || sensor != 0) return 2;
    *celsius = 65 + device->index;
    return 0;
}

int nvmlDeviceGetPowerUsage(device_t *device, unsigned int *milliwatts) {
    if (!valid(device)) return 2;
    *milliwatts = 250500;
    return 0;
}

const char *nvmlErrorString(int result) {
    switch (result) {
        case 0: return "Success";
        case 1: return "Uninitialized";
        case 3: return "Not Supported";
        case 9: return "Driver Not Loaded";
        default: return "Unknown Error";
    }
}

/* for the test: how often utilization was asked of a device */
int standin_utilization_calls(int index) { return utilization_calls[index]; }
