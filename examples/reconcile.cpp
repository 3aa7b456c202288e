// The nightly reconcile job: re-check every pending payment against a slow
// payment partner's HTTP API before a deadline, without flooding the partner.
//
// The Go answer, line for line: a goroutine per payment, a buffered channel
// as a semaphore that caps the calls in flight, a WaitGroup to wait for them,
// and a context with a deadline for the whole job. Each call is a plain
// blocking cpp-httplib request, wrapped in runtime::blocking so that the
// goroutine's worker thread is handed to the other goroutines at once (without
// the wrapper the runtime's monitor notices the stuck worker and does the same
// a little later).
//
// The partner is faked in-process: an httplib::Server on 127.0.0.1 (ephemeral
// port, its own thread) that answers GET /payments/<id>/status with "settled"
// or "declined" after --latency-ms, and 503 at once beyond --capacity
// concurrent requests.
//
//   usage: reconcile [--payments N] [--limit L] [--latency-ms M] [--capacity C]
//                    [--deadline-ms D] [--naive]
//   reconcile                      1000 payments, 50 in flight: ~0.5 s, 0 failed
//   reconcile --naive              no limit: the partner answers 503 to many
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <gocxx/gocxx.hpp>

using namespace std::chrono_literals;
using namespace gocxx;  // Go's package names: sync::, time::, context::, runtime::

// ---- the domain: payments and where they are kept ---------------------------

struct Payment {
    long id;
    long cents;
};

enum class Status {
    Pending,      // not checked (yet)
    Settled,      // the partner confirms the payment
    Declined,     // the partner says it failed
    Unavailable,  // the partner answered 503: try again tomorrow
    Error,        // transport error or an unexpected answer
};

const char* to_string(Status s) {
    switch (s) {
        case Status::Pending: return "pending";
        case Status::Settled: return "settled";
        case Status::Declined: return "declined";
        case Status::Unavailable: return "unavailable";
        case Status::Error: return "error";
    }
    return "?";
}

// Where the job reads its work and writes its results: replace it with your
// database. mark() is called from many goroutines at once.
struct PaymentStore {
    virtual ~PaymentStore() = default;
    virtual std::vector<Payment> pending() = 0;
    virtual void mark(const Payment& p, Status s) = 0;
};

class MemoryStore final : public PaymentStore {
public:
    explicit MemoryStore(int n) {
        for (long id = 1; id <= n; id++) payments_.push_back({id, 1000 + (id * 7919) % 100000});
    }
    std::vector<Payment> pending() override {
        std::lock_guard<sync::Mutex> lock(mu_);
        std::vector<Payment> out;
        for (const Payment& p : payments_)
            if (status_.find(p.id) == status_.end()) out.push_back(p);
        return out;
    }
    void mark(const Payment& p, Status s) override {
        std::lock_guard<sync::Mutex> lock(mu_);
        status_[p.id] = s;
    }
    long count(Status s) {
        std::lock_guard<sync::Mutex> lock(mu_);
        if (s == Status::Pending) return static_cast<long>(payments_.size() - status_.size());
        return std::count_if(status_.begin(), status_.end(), [s](const auto& kv) { return kv.second == s; });
    }

private:
    sync::Mutex mu_;  // gocxx's: a goroutine waiting for it parks, it does not block a worker
    std::vector<Payment> payments_;
    std::unordered_map<long, Status> status_;
};

// ---- the fake payment partner -----------------------------------------------

class FakePartner {
public:
    FakePartner(std::chrono::milliseconds latency, int capacity) : latency_(latency), capacity_(capacity) {
        // httplib serves each connection on a pool thread: give it enough
        // threads that requests beyond capacity get their 503 at once instead
        // of queueing.
        const int threads = std::max(capacity * 2, 128);
        server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        server_.Get(R"(/payments/(\d+)/status)", [this](const httplib::Request& req, httplib::Response& res) {
            const int now = ++active_;
            if (now > capacity_) {
                --active_;
                ++rejected_;
                res.status = 503;
                res.set_content("over capacity\n", "text/plain");
                return;
            }
            for (int seen = max_active_; now > seen && !max_active_.compare_exchange_weak(seen, now);) {
            }
            std::this_thread::sleep_for(latency_);  // the partner's own slow work
            const long id = std::stol(req.matches[1]);
            res.set_content(id % 17 == 0 ? "declined" : "settled", "text/plain");
            --active_;
        });
        // httplib 0.11 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG,
        // compiled into Debian's library): a burst of connections overflows it
        // and the kernel's SYN retries stall clients for a second. Keep the
        // socket and listen again with a real backlog (Linux allows it).
        int fd = -1;
        server_.set_socket_options([&fd](socket_t sock) {
            httplib::default_socket_options(sock);
            fd = sock;
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ < 0) throw std::runtime_error("fake partner: cannot bind 127.0.0.1");
        if (fd >= 0) ::listen(fd, 1024);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() only works once the server runs; the socket already listens,
        // so clients could connect before this, but wait for a clean stop.
        while (!server_.is_running()) std::this_thread::sleep_for(1ms);
    }
    ~FakePartner() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    int max_active() const { return max_active_; }
    int rejected() const { return rejected_; }

private:
    std::chrono::milliseconds latency_;
    int capacity_;
    std::atomic<int> active_{0}, max_active_{0}, rejected_{0};
    httplib::Server server_;
    int port_ = -1;
    std::thread thread_;
};

// ---- the client side: one re-check ------------------------------------------

// One plain blocking HTTP call (a fresh client per call: simple and reliable
// with httplib 0.11). Its timeouts stay within the job's deadline.
Status check_payment(const context::Context& ctx, int port, const Payment& p) {
    auto [deadline, has_deadline] = ctx.deadline();
    auto left = has_deadline ? deadline - time::now() : std::chrono::nanoseconds(10s);
    if (left <= 0s) return Status::Pending;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(left).count();

    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(us / 1000000, us % 1000000);
    cli.set_read_timeout(us / 1000000, us % 1000000);
    httplib::Result res = runtime::blocking([&] { return cli.Get("/payments/" + std::to_string(p.id) + "/status"); });
    if (!res) return Status::Error;
    if (res->status == 503) return Status::Unavailable;
    if (res->status != 200) return Status::Error;
    if (res->body == "settled") return Status::Settled;
    if (res->body == "declined") return Status::Declined;
    return Status::Error;
}

// ---- the job ----------------------------------------------------------------

struct Options {
    int payments = 1000;
    int limit = 50;
    int latency_ms = 20;
    int capacity = 64;
    int deadline_ms = 30000;
    bool naive = false;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto num = [&](int& v) {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            v = std::stoi(argv[++i]);
        };
        if (a == "--payments") num(o.payments);
        else if (a == "--limit") num(o.limit);
        else if (a == "--latency-ms") num(o.latency_ms);
        else if (a == "--capacity") num(o.capacity);
        else if (a == "--deadline-ms") num(o.deadline_ms);
        else if (a == "--naive") o.naive = true;
        else throw std::invalid_argument("unknown flag " + a);
    }
    if (o.limit < 1 || o.payments < 0 || o.capacity < 1 || o.latency_ms < 0 || o.deadline_ms < 1)
        throw std::invalid_argument("bad value");
    return o;
}

int main(int argc, char** argv) {
    Options opt;
    try {
        opt = parse(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr,
                     "reconcile: %s\nusage: reconcile [--payments N] [--limit L] [--latency-ms M] "
                     "[--capacity C] [--deadline-ms D] [--naive]\n",
                     e.what());
        return 2;
    }

    FakePartner partner(std::chrono::milliseconds(opt.latency_ms), opt.capacity);
    MemoryStore store(opt.payments);
    int exit_code = 0;

    gocxx::run([&] {
        auto [ctx, cancel] = context::with_timeout(context::background(), std::chrono::milliseconds(opt.deadline_ms));
        auto cancel_at_exit = defer([&] { cancel(); });

        std::vector<Payment> payments = store.pending();
        const int total = static_cast<int>(payments.size());
        std::atomic<int> processed{0}, in_flight{0}, max_in_flight{0};
        const auto start = time::now();

        // The live progress line, every 100 ms until `stop` closes.
        Channel<Unit> stop, stopped;
        gocxx::go([&] {
            time::Ticker ticker(100ms);
            auto print = [&] {
                std::fprintf(stderr, "\r%5d/%d processed, %3d in flight", processed.load(), total, in_flight.load());
            };
            for (bool done = false; !done;) {
                select(case_recv(ticker.c(), [&](time::Time) { print(); }),
                       case_recv(stop, [&] { done = true; }));
            }
            print();
            std::fprintf(stderr, "\n");
            stopped.close();
        });

        auto check = [&](const Payment& p) {
            int now = ++in_flight;
            for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
            }
            Status s = check_payment(ctx, partner.port(), p);
            --in_flight;
            if (s != Status::Pending) store.mark(p, s);  // Pending: the deadline passed first
            ++processed;
        };

        Channel<Unit> sem = opt.naive ? Channel<Unit>(nullptr) : Channel<Unit>(opt.limit);  // make(chan struct{}, limit)
        sync::WaitGroup wg;
        for (const Payment& p : payments) {
            if (!opt.naive) {
                // sem <- struct{}{}, unless the deadline comes first
                bool expired = false;
                select(case_send(sem, Unit{}), case_recv(ctx.done(), [&] { expired = true; }));
                if (expired) break;
            }
            wg.add(1);
            gocxx::go([&, p] {
                auto release = defer([&] {
                    if (sem != nullptr) sem.recv();  // <-sem
                    wg.done();
                });
                check(p);
            });
        }
        wg.wait();
        const auto wall = std::chrono::duration<double>(time::now() - start).count();

        stop.close();
        stopped.recv();

        const long settled = store.count(Status::Settled), declined = store.count(Status::Declined);
        const long unavailable = store.count(Status::Unavailable), errors = store.count(Status::Error);
        const long pending = store.count(Status::Pending);
        std::printf("reconcile: %d payments, %s, partner capacity %d, latency %d ms\n", total,
                    opt.naive ? "no limit (naive)" : ("limit " + std::to_string(opt.limit)).c_str(), opt.capacity,
                    opt.latency_ms);
        std::printf("  processed   %d\n", processed.load());
        std::printf("  succeeded   %ld (settled %ld, declined %ld)\n", settled + declined, settled, declined);
        std::printf("  failed      %ld (503 %ld, errors %ld)\n", unavailable + errors, unavailable, errors);
        if (pending > 0) std::printf("  not checked %ld (%s)\n", pending, ctx.err().message().c_str());
        std::printf("  max in flight %d (partner saw %d at once)\n", max_in_flight.load(), partner.max_active());
        std::printf("  wall time   %.3f s\n", wall);
        exit_code = (unavailable + errors + pending) > 0 ? 1 : 0;
    });
    return exit_code;
}
