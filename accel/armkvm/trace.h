#include "trace/trace-accel_armkvm.h"
