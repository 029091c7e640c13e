// jemalloc reads its options from this symbol when the process starts. Freed memory goes
// back to the system about a second after it is freed, by jemalloc's own thread, so the
// resident size falls again when thousands of connections have come and gone.
extern "C" {
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
