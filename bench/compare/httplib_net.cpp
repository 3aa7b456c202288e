// "gocxx + cpp-httplib (before)" column of bench/compare.py's http_client_L
// rows: the same job as bench/compare/gocxx_net.cpp (a goroutine per payment,
// a buffered channel as the semaphore, a WaitGroup), but each call is
// cpp-httplib's blocking Client::Get inside runtime::blocking, so a call in
// flight holds an OS thread. Each thread keeps its own kept-alive
// httplib::Client (thread_local: one Client may not run two requests at
// once), so connections are reused as gocxx's and Go's are. Other workloads
// print `WORKLOAD n/a`.
//
//   httplib_net http_client_L URL    prints `http_client_L WALL ms`
#include <gocxx/gocxx.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

using namespace gocxx;

namespace {

constexpr int kPaymentsPerLimit = 10;  // N = 10 L

bool get_status(const std::string& partner, int id) {
    thread_local std::unique_ptr<httplib::Client> cli;
    if (!cli) {
        cli = std::make_unique<httplib::Client>(partner);
        cli->set_keep_alive(true);
        cli->set_read_timeout(60, 0);
    }
    auto res = cli->Get(("/payments/" + std::to_string(id) + "/status").c_str());
    return res && res->status == 200 && res->body == "settled";
}

double http_client(int limit, const std::string& partner) {
    const int n = kPaymentsPerLimit * limit;
    double ms = 0;
    long failed_total = 0;
    gocxx::run([&] {
        std::atomic<long> failed{0};
        const auto t0 = std::chrono::steady_clock::now();
        Channel<Unit> sem(limit);
        sync::WaitGroup wg;
        for (int i = 0; i < n; i++) {
            sem.send({});
            wg.add(1);
            go([&, i] {
                auto release = defer([&] {
                    sem.recv();
                    wg.done();
                });
                if (!runtime::blocking([&] { return get_status(partner, i); })) ++failed;
            });
        }
        wg.wait();
        ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        failed_total = failed;
    });
    if (failed_total > 0) {
        std::fprintf(stderr, "httplib_net: http_client_%d: %ld of %d requests failed\n", limit, failed_total, n);
        std::exit(1);
    }
    return ms;
}

}  // namespace

int main(int argc, char** argv) {
    if (const char* s = std::getenv("GOMAXPROCS"); s && std::atoi(s) > 0) runtime::gomaxprocs(std::atoi(s));
    if (argc < 2) {
        std::fprintf(stderr, "usage: httplib_net http_client_L URL\n");
        return 2;
    }
    const std::string name = argv[1];
    if (name.rfind("http_client_", 0) == 0 && argc == 3 && std::atoi(name.c_str() + 12) > 0) {
        std::printf("%s %.2f ms\n", name.c_str(), http_client(std::atoi(name.c_str() + 12), argv[2]));
    } else {
        std::printf("%s n/a\n", name.c_str());
    }
    std::fflush(stdout);
    std::_Exit(0);  // lent threads may still hold thread_local clients
}
