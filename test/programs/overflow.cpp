// Ways for a goroutine to run off its stack; argv[1] names one. Each must end
// the process with Go's "goroutine stack overflow" report and status 2, never
// with a bare SIGSEGV and never by writing into the stack below (another
// goroutine's). Built twice (test/programs/meson.build): with
// -fstack-clash-protection, as the README asks of programs, and without it
// (GOCXX_NO_PROBE), where the guard region's width alone must catch the big
// frames. Run on the default 256 KiB stacks (a 1 MiB guard region).
//
//   recursion    unbounded recursion, 1 KiB frames
//   big_frame    a 256 KiB local array, only its lowest 4 KiB touched
//   payload      Channel<std::array<char, 1 << 20>>::send, a 1 MiB value
//   select       recursion inside a select case's callback, after parking
//   destructor   recursion inside a destructor
//   neighbours   goroutines with canaries on their stacks; one runs a 272 KiB
//                frame: the report, never a run that goes on (stdout then
//                says whether the canaries survived)
//   huge_frame   an 8 MiB local array, only its lowest bytes touched: wider
//                than the guard, caught only with stack-clash protection
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <gocxx/gocxx.hpp>

namespace {

__attribute__((noinline)) int deep(int n) {
    volatile char frame[1024];
    frame[0] = static_cast<char>(n);
    if (n == 0) return frame[0];
    return deep(n - 1) + frame[0];  // not a tail call: every frame stays
}

// A frame of `Bytes` of which only the lowest `Touch` bytes are written (the
// end a buffer is filled from): without probes, the first write lands Bytes
// below the stack pointer.
template <std::size_t Bytes, std::size_t Touch>
__attribute__((noinline)) int big_frame(int seed) {
    volatile char buf[Bytes];
    for (std::size_t i = 0; i < Touch; ++i) buf[i] = static_cast<char>(seed + static_cast<int>(i));
    return buf[seed & 1];
}

struct Recurses {
    int n;
    ~Recurses() { std::printf("unreachable %d\n", deep(n)); }
};

// Never receives: the goroutine that overflows ends the process first.
int wait_forever(gocxx::Channel<int> done) {
    std::printf("unreachable %d\n", done.recv());
    return 0;
}

int neighbours() {
    constexpr int kNeighbours = 32;
    constexpr std::size_t kCanary = 16 * 1024;
    gocxx::Channel<int> gate, ready, release, done;
    gocxx::Channel<int> results(kNeighbours);
    // The one that overflows runs first and takes the first fresh stack; the
    // neighbours' stacks are mapped after it, below it in memory (mmap hands
    // out addresses downwards): where its frame goes when it jumps its guard.
    gocxx::go([=] {
        gate.recv();
        // 272 KiB: 16 KiB more than its whole stack, so that without a wide
        // guard it writes into the top of the stack below, the canaries.
        done.send(big_frame<272 * 1024, 4096>(7));
    });
    for (int i = 0; i < kNeighbours; ++i) {
        gocxx::go([=] {
            volatile unsigned char canary[kCanary];
            for (std::size_t k = 0; k < kCanary; ++k) canary[k] = static_cast<unsigned char>(0xA5 ^ i ^ k);
            ready.send(i);
            release.recv();
            int bad = 0;
            for (std::size_t k = 0; k < kCanary; ++k)
                if (canary[k] != static_cast<unsigned char>(0xA5 ^ i ^ k)) ++bad;
            results.send(bad);
        });
    }
    for (int i = 0; i < kNeighbours; ++i) ready.recv();
    gate.send(1);
    done.recv();
    // Only reached when the big frame was not caught.
    release.close();
    int corrupted = 0;
    for (int i = 0; i < kNeighbours; ++i) corrupted += results.recv() != 0;
    std::printf(corrupted ? "corrupted %d neighbours\n" : "survived, %d corrupted\n", corrupted);
    return 0;
}

int run_case(const std::string& name) {
    gocxx::Channel<int> done;
    if (name == "recursion") {
        gocxx::go([done] { done.send(deep(1 << 30)); });
    } else if (name == "big_frame") {
        gocxx::go([done] { done.send(big_frame<256 * 1024, 4096>(3)); });
    } else if (name == "huge_frame") {
        gocxx::go([done] { done.send(big_frame<8 * 1024 * 1024, 64>(3)); });
    } else if (name == "payload") {
        gocxx::Channel<std::array<char, 1 << 20>> big(1);
        gocxx::go([big, done] {
            auto v = std::make_unique<std::array<char, 1 << 20>>();
            std::memset(v->data(), 'x', v->size());
            big.send(*v);  // by value: send copies it, 1 MiB on a 256 KiB stack
            done.send(1);
        });
    } else if (name == "select") {
        gocxx::Channel<int> ch;
        gocxx::go([ch, done] {
            int r = 0;
            gocxx::select(gocxx::case_recv(ch, [&](int v) { r = deep(v); }));
            done.send(r);
        });
        ch.send(1 << 30);
    } else if (name == "destructor") {
        gocxx::go([done] {
            { Recurses r{1 << 30}; }
            done.send(1);
        });
    } else if (name == "neighbours") {
        return neighbours();
    } else {
        std::fprintf(stderr, "unknown case %s\n", name.c_str());
        return 64;
    }
    return wait_forever(done);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s recursion|big_frame|payload|select|destructor|neighbours|huge_frame\n", argv[0]);
        return 64;
    }
    const std::string name = argv[1];
    return gocxx::run([&] { return run_case(name); });
}
