// Go's panic and fatal-error reports (see panic.hpp).
//
// An exception escaping run()'s function is rethrown to run()'s caller, so
// that C++ code can catch it; only when nothing catches it does the C++
// runtime call std::terminate, before unwinding anything (the two-phase
// unwinding of the Itanium ABI: the search phase fails first). Our terminate
// handler then sees that rethrow still in progress on its thread (t_rethrow)
// and ends the process as Go's unrecovered panic in main does: stdout
// flushed, "panic: ..." and "goroutine 1 [running]:" on stderr, exit status
// 2. Any other call of std::terminate goes to the handler that was there
// before.
#include "sched/panic.hpp"

#include <cxxabi.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <typeinfo>

#include <gocxx/error.hpp>
#include <gocxx/go.hpp>
#include <gocxx/panic.hpp>

#include "sched/g.hpp"
#include "sched/scheduler.hpp"

namespace gocxx::detail {

namespace {

void write_stderr(const char* p, std::size_t left) noexcept {
    while (left > 0) {
        const ssize_t n = ::write(2, p, left);
        if (n <= 0) return;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

// What the program wrote goes out before the report, as in Go (whose stdout
// is unbuffered). Another thread may be writing meanwhile: the report is the
// last thing the process does, and a torn line beats a lost one.
void flush_stdout() noexcept {
    try {
        std::cout.flush();
    } catch (...) {
    }
    std::fflush(stdout);
}

// Set on the thread that called run() while run() rethrows its exception:
// the C++ runtime looks for a handler before it unwinds anything, so when
// none is found, std::terminate runs with this still set; when one is found,
// unwinding run()'s frame clears it before the handler runs.
struct RunRethrow {
    bool active = false;
    unsigned long long goid = 0;
};
thread_local RunRethrow t_rethrow;
std::terminate_handler g_prev_terminate = nullptr;
std::once_flag g_install_once;

void on_terminate() {
    std::exception_ptr cur = std::current_exception();
    if (t_rethrow.active && cur) panic_exit(t_rethrow.goid, cur);
    if (g_prev_terminate) g_prev_terminate();
    std::abort();
}

}  // namespace

std::string describe_exception(std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const Panic& p) {
        return p.what();
    } catch (const Error& e) {  // Go's panic(err) prints err.Error()
        return e.message();
    } catch (const ErrorBase& e) {
        return e.error();
    } catch (const std::exception& e) {
        return type_name(&typeid(e)) + ": " + e.what();
    } catch (...) {
        return "exception of type " + type_name(abi::__cxa_current_exception_type());
    }
}

void panic_exit(std::uint64_t goid, std::exception_ptr ep) noexcept {
    std::string msg;
    try {
        msg = describe_exception(ep);
    } catch (...) {
        msg = "(unprintable exception)";
    }
    flush_stdout();
    char tail[160];
    const int n = std::snprintf(tail, sizeof tail, "\n\ngoroutine %llu [running]:\n(an exception escaped the goroutine)\n",
                                static_cast<unsigned long long>(goid));
    write_stderr("panic: ", 7);
    write_stderr(msg.data(), msg.size());
    write_stderr(tail, n > 0 ? static_cast<std::size_t>(n) : 0);
    ::_exit(2);  // as Go's exit: the other goroutines may still be running, nothing is destroyed
}

void fatal_error(const char* msg) noexcept {
    char header[256];
    std::snprintf(header, sizeof header, "fatal error: %s", msg);
    if (Scheduler* s = Scheduler::if_started()) s->die_with_dump(header);
    flush_stdout();
    write_stderr(header, std::strlen(header));
    write_stderr("\n", 1);
    ::_exit(2);
}

unsigned long long current_goid() noexcept {
    G* g = current_g();
    return g ? g->id.load(std::memory_order_relaxed) : 0;
}

void rethrow_from_run(std::exception_ptr ep, unsigned long long goid) {
    std::call_once(g_install_once, [] { g_prev_terminate = std::set_terminate(&on_terminate); });
    struct Guard {
        explicit Guard(unsigned long long id) { t_rethrow = RunRethrow{true, id}; }
        ~Guard() { t_rethrow.active = false; }  // unwinding towards a handler
    } guard(goid);
    std::rethrow_exception(std::move(ep));
}

}  // namespace gocxx::detail
