// The nightly reconcile job: re-check every pending payment against a slow
// payment partner's HTTP API before a deadline, without flooding the partner.
//
// The Go answer, line for line: a goroutine per payment, a buffered channel
// as a semaphore that caps the calls in flight, a WaitGroup to wait for them,
// and a context with a deadline for the whole job. Each call is a
// gocxx::http::Client request: it parks its goroutine on the netpoller while
// the partner thinks, so a call in flight costs a goroutine, not a thread
// (5,000 in flight run on the two or so worker threads).
//
// The partner is faked in-process by default: a gocxx::http::Server on
// 127.0.0.1 (ephemeral port) that answers GET /payments/<id>/status with
// "settled" or "declined" after --latency-ms, and 503 at once beyond
// --capacity concurrent requests (default: the limit plus a quarter, at
// least 64). --partner URL calls a real partner at URL instead, http:// or
// https:// (checked against the system's roots, or --ca-file's PEM for a
// partner whose certificate a private authority signed).
//
// The payments live in SQLite (--db, payments.db by default; ":memory:" for a
// scratch one): a database with no payments is seeded with --payments demo
// ones (1,000), the job re-checks those still pending (never checked, or a
// 503 or an error last time), and each result is written back as it comes
// (store.hpp). A second run re-checks only what is still pending. The exit
// status is 0 when nothing is left pending, 1 when something is, 2 when the
// job could not run (bad flags, a database it cannot use).
//
//   usage: reconcile [--db PATH] [--payments N] [--limit L] [--latency-ms M]
//                    [--capacity C] [--deadline-ms D] [--partner URL]
//                    [--ca-file PEM] [--naive]
//   reconcile                      1000 payments, 50 in flight: ~0.5 s, 0 failed
//   reconcile                      again: 0 payments (all were checked)
//   reconcile --naive              no limit: the partner answers 503 to many
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <gocxx/gocxx.hpp>
#include <gocxx/http/http.hpp>

#include "store.hpp"

using namespace std::chrono_literals;
using namespace gocxx;  // Go's package names: sync::, time::, context::, runtime::

// The payments and where they are kept: store.hpp (SQLite by default,
// sqlite_store.cpp).

// ---- the fake payment partner -----------------------------------------------

// GET /payments/{id}/status on a gocxx::http::Server: each request is a
// goroutine that sleeps (parks) for the latency.
class FakePartner {
public:
    FakePartner(std::chrono::milliseconds latency, int capacity) : latency_(latency), capacity_(capacity) {
        mux_.handle_func("GET /payments/{id}/status", [this](http::ResponseWriter& w, http::Request& r) {
            const int now = ++active_;
            auto leave = defer([&] { --active_; });
            if (now > capacity_) {
                ++rejected_;
                w.header().set("Content-Type", "text/plain");
                w.write_header(http::StatusServiceUnavailable);
                w.write("over capacity\n");
                return;
            }
            for (int seen = max_active_; now > seen && !max_active_.compare_exchange_weak(seen, now);) {
            }
            time::sleep(latency_);  // the partner's own slow work
            const long id = std::stol(r.path_value("id"));
            w.header().set("Content-Type", "text/plain");
            w.write(id % 17 == 0 ? "declined" : "settled");
        });
        auto [ln, err] = net::listen("tcp", "127.0.0.1:0");
        if (err) throw std::runtime_error("fake partner: " + err.message());
        ln_ = ln;
        go([this] { served_.send(server_.serve(ln_)); });
    }
    ~FakePartner() {
        server_.close();
        served_.recv();
    }
    std::string url() const { return "http://" + ln_.addr().string(); }
    int max_active() const { return max_active_; }
    int rejected() const { return rejected_; }

private:
    std::chrono::milliseconds latency_;
    int capacity_;
    std::atomic<int> active_{0}, max_active_{0}, rejected_{0};
    http::ServeMux mux_;
    http::Server server_{mux_};
    net::Listener ln_;
    Channel<Error> served_{1};
};

// ---- the client side: one re-check ------------------------------------------

// One HTTP call under the job's context: it ends when the deadline passes.
Status check_payment(const context::Context& ctx, const http::Client& client, const std::string& partner,
                     const Payment& p) {
    auto [req, err] = http::new_request_with_context(ctx, "GET", partner + "/payments/" + std::to_string(p.id) + "/status");
    if (err) return Status::Error;
    auto [resp, rerr] = client.do_(req);
    if (rerr) return ctx.err() ? Status::Pending : Status::Error;
    if (resp.status_code == http::StatusServiceUnavailable) return Status::Unavailable;
    if (resp.status_code != http::StatusOK) return Status::Error;
    if (resp.body == "settled") return Status::Settled;
    if (resp.body == "declined") return Status::Declined;
    return Status::Error;
}

// ---- the job ----------------------------------------------------------------

struct Options {
    std::string db = "payments.db";
    int payments = 1000;  // demo payments seeded into an empty database
    int limit = 50;
    int latency_ms = 20;
    int capacity = 0;  // 0: the limit plus a quarter, at least 64
    int deadline_ms = 30000;
    std::string partner;  // empty: the in-process fake partner
    std::string ca_file;  // the roots for an https partner; empty: the system's
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
        if (a == "--db") {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            o.db = argv[++i];
        } else if (a == "--payments") num(o.payments);
        else if (a == "--limit") num(o.limit);
        else if (a == "--latency-ms") num(o.latency_ms);
        else if (a == "--capacity") num(o.capacity);
        else if (a == "--deadline-ms") num(o.deadline_ms);
        else if (a == "--partner") {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            o.partner = argv[++i];
            while (!o.partner.empty() && o.partner.back() == '/') o.partner.pop_back();
        } else if (a == "--ca-file") {
            if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
            o.ca_file = argv[++i];
        } else if (a == "--naive") o.naive = true;
        else throw std::invalid_argument("unknown flag " + a);
    }
    if (o.capacity == 0) o.capacity = std::max(64, o.limit + o.limit / 4);
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
                     "reconcile: %s\nusage: reconcile [--db PATH] [--payments N] [--limit L] [--latency-ms M] "
                     "[--capacity C] [--deadline-ms D] [--partner URL] [--ca-file PEM] [--naive]\n",
                     e.what());
        return 2;
    }

    int exit_code = 0;

    gocxx::run([&] {
        std::unique_ptr<PaymentStore> store;
        try {
            store = open_sqlite_store(opt.db, opt.payments);
        } catch (const StoreError& e) {
            std::fprintf(stderr, "reconcile: %s\n", e.what());
            exit_code = 2;
            return;
        }
        std::unique_ptr<FakePartner> fake;
        if (opt.partner.empty()) fake = std::make_unique<FakePartner>(std::chrono::milliseconds(opt.latency_ms), opt.capacity);
        const std::string partner = fake ? fake->url() : opt.partner;
        // One client for every call; it keeps as many idle connections to
        // the partner as calls in flight, so each call reuses one.
        http::Client client;
        client.transport = std::make_shared<http::Transport>();
        client.transport->max_idle_conns_per_host = opt.naive ? 1024 : opt.limit;
        client.transport->tls_config.root_cas_file = opt.ca_file;  // for an https:// partner

        // Not `auto [ctx, cancel] = ...`: the lambdas below use both, and
        // clang before 16 cannot capture a structured binding.
        const auto timeout = context::with_timeout(context::background(), std::chrono::milliseconds(opt.deadline_ms));
        const context::Context& ctx = timeout.first;
        const context::CancelFunc& cancel = timeout.second;
        auto cancel_at_exit = defer([&] { cancel(); });

        std::vector<Payment> payments;
        try {
            payments = store->pending();
        } catch (const StoreError& e) {
            std::fprintf(stderr, "reconcile: %s\n", e.what());
            exit_code = 2;
            return;
        }
        const int total = static_cast<int>(payments.size());
        std::atomic<int> processed{0}, in_flight{0}, max_in_flight{0};
        std::atomic<long> counts[5] = {};  // this run's results, by Status
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
            Status s = check_payment(ctx, client, partner, p);
            --in_flight;
            if (s != Status::Pending) store->mark(p, s);  // Pending: the deadline passed first
            ++counts[static_cast<int>(s)];
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

        // Every result reaches the database before the summary is printed.
        std::string store_error;
        try {
            store->close();
        } catch (const StoreError& e) {
            store_error = e.what();
        }
        auto count = [&](Status s) { return counts[static_cast<int>(s)].load(); };
        const long settled = count(Status::Settled), declined = count(Status::Declined);
        const long unavailable = count(Status::Unavailable), errors = count(Status::Error);
        const long pending = total - settled - declined - unavailable - errors;  // never started, or cut off
        if (fake)
            std::printf("reconcile: %d payments, %s, partner capacity %d, latency %d ms\n", total,
                        opt.naive ? "no limit (naive)" : ("limit " + std::to_string(opt.limit)).c_str(), opt.capacity,
                        opt.latency_ms);
        else
            std::printf("reconcile: %d payments, %s, partner %s\n", total,
                        opt.naive ? "no limit (naive)" : ("limit " + std::to_string(opt.limit)).c_str(), partner.c_str());
        std::printf("  processed   %d\n", processed.load());
        std::printf("  succeeded   %ld (settled %ld, declined %ld)\n", settled + declined, settled, declined);
        std::printf("  failed      %ld (503 %ld, errors %ld)\n", unavailable + errors, unavailable, errors);
        if (pending > 0) std::printf("  not checked %ld (%s)\n", pending, ctx.err().message().c_str());
        if (fake) std::printf("  max in flight %d (partner saw %d at once)\n", max_in_flight.load(), fake->max_active());
        else std::printf("  max in flight %d\n", max_in_flight.load());
        std::printf("  wall time   %.3f s\n", wall);
        if (unavailable + errors + pending > 0)
            std::printf("  left pending in %s: %ld (the next run re-checks them)\n", opt.db.c_str(),
                        unavailable + errors + pending);
        exit_code = (unavailable + errors + pending) > 0 ? 1 : 0;
        if (!store_error.empty()) {
            // What was written before the failure stays written; the rest
            // stays pending and is re-checked next run.
            std::fprintf(stderr, "reconcile: %s\n", store_error.c_str());
            exit_code = 1;
        }
    });
    return exit_code;
}
