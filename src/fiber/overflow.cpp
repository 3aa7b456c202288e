#include "fiber/overflow.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <mutex>

#include "fiber/stack.hpp"

namespace gocxx::detail {

namespace {

thread_local OverflowInfo t_info;
struct sigaction g_prev_segv, g_prev_bus;
std::once_flag g_install_once;

void write_all(const char* s) noexcept {
    std::size_t n = std::strlen(s);
    while (n > 0) {
        ssize_t k = ::write(2, s, n);
        if (k <= 0) return;
        s += k;
        n -= static_cast<std::size_t>(k);
    }
}

void handler(int sig, siginfo_t* si, void* uctx) {
    const OverflowInfo& info = t_info;
    const char* addr = static_cast<const char*>(si->si_addr);
    const std::size_t page = page_size();
    // The guard region, or just below it: a frame wider than the region
    // jumps it, and faults here when what lies below is not mapped (it is
    // usually another stack, and then nothing faults: docs/runtime.md, "Stacks").
    if (info.guard && addr >= info.guard - 16 * page && addr < info.guard + info.guard_size) {
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "runtime: goroutine stack exceeds %zu-byte limit\n"
                      "fatal error: goroutine stack overflow\n\n"
                      "goroutine %llu [running]\n"
                      "(raise the limit with GOCXX_STACK_SIZE=<bytes, or k/m suffix> in the environment,\n"
                      " or gocxx::runtime::set_stack_size(bytes) before starting the goroutine)\n",
                      info.stack_size, info.goid);
        write_all(buf);
        // Go's fatal errors exit with status 2. _exit is async-signal-safe;
        // nothing is flushed or destroyed (Go does not flush either), and
        // no other thread runs on: they may be mid-way through anything.
        ::_exit(2);
    }
    // Not ours: give it to whoever handled it before us.
    const struct sigaction& prev = sig == SIGBUS ? g_prev_bus : g_prev_segv;
    if (prev.sa_flags & SA_SIGINFO) {
        if (prev.sa_sigaction) {
            prev.sa_sigaction(sig, si, uctx);
            return;
        }
    } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
        prev.sa_handler(sig);
        return;
    }
    // Default action: reinstall it and return; the fault repeats and kills us.
    signal(sig, SIG_DFL);
}

void install() noexcept {
    struct sigaction sa {};
    sa.sa_sigaction = &handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, &g_prev_segv);
    sigaction(SIGBUS, &sa, &g_prev_bus);
}

}  // namespace

OverflowInfo* overflow_thread_init() noexcept {
    std::call_once(g_install_once, install);
    const std::size_t size = 64 * 1024;
    void* mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem != MAP_FAILED) {
        stack_t ss{};
        ss.ss_sp = mem;
        ss.ss_size = size;
        sigaltstack(&ss, nullptr);
    }
    return &t_info;
}

}  // namespace gocxx::detail
