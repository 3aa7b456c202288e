// A goroutine that recurses without bound: the runtime must report Go's
// "goroutine stack overflow" with the stack size, then exit with status 2.
#include <cstdio>

#include <gocxx/gocxx.hpp>

namespace {
__attribute__((noinline)) int deep(int n) {
    volatile char frame[1024];
    frame[0] = static_cast<char>(n);
    if (n == 0) return frame[0];
    return deep(n - 1) + frame[0];  // not a tail call: every frame stays
}
}  // namespace

int main() {
    return gocxx::run([] {
        gocxx::Channel<int> result;
        gocxx::go([result] { result.send(deep(1 << 30)); });
        std::printf("unreachable %d\n", result.recv());
    });
}
