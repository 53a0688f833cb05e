#include <stdbool.h>
#include "tap.h"
int main(void) { ok(true, "placeholder"); return tap_done(); }
