// The article's programs (examples/) as tests: the payment re-check job with a
// buffered channel as a semaphore, waited for with a WaitGroup or a done
// channel. The remote call yields a few times instead of sleeping, so each
// case is fast; the checks are the article's claims: never more than `limit`
// calls in flight, and every payment processed exactly once.
#define BOOST_TEST_MODULE examples
#include "fixture.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <vector>

using namespace gocxx;

namespace {

constexpr int kPayments = static_cast<int>(gocxx::test::scaled(1000));  // 100 under sanitizers
constexpr int kLimit = 10;

struct Payment {
    int id;
};

// What the goroutines report; the test body reads it after waiting for them.
struct Job {
    explicit Job(int n) : processed(std::make_unique<std::atomic<int>[]>(n)), n(n) {
        for (int i = 0; i < n; i++) processed[i].store(0);
    }
    std::unique_ptr<std::atomic<int>[]> processed;  // per payment: times checked
    int n;
    std::atomic<int> in_flight{0};
    std::atomic<int> max_in_flight{0};

    // The fake third-party call: counts itself in flight, yields a few times
    // (where the real one would wait on the network), and records the payment.
    bool check_remote(Payment p) {
        int now = in_flight.fetch_add(1) + 1;
        int seen = max_in_flight.load();
        while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
        }
        for (int i = 0; i < 3; i++) runtime::gosched();
        processed[p.id].fetch_add(1);
        in_flight.fetch_sub(1);
        return true;
    }

    int times_wrong() const {  // payments not processed exactly once
        int bad = 0;
        for (int i = 0; i < n; i++) bad += processed[i].load() != 1;
        return bad;
    }
};

std::vector<Payment> make_payments(int n) {
    std::vector<Payment> payments;
    for (int i = 0; i < n; i++) payments.push_back({i});
    return payments;
}

// examples/semaphore.cpp: the semaphore bounds the goroutines in flight, the
// WaitGroup waits for them.
int semaphore_waitgroup(Job& job, int limit) {
    std::atomic<int> ok{0};
    Channel<Unit> sem(limit);
    sync::WaitGroup wg;
    for (Payment p : make_payments(job.n)) {
        sem.send({});
        wg.add(1);
        go([&, p] {
            auto release = defer([&] {
                sem.recv();
                wg.done();
            });
            if (job.check_remote(p)) ok++;
        });
    }
    wg.wait();
    return ok.load();
}

// examples/done_channel.cpp: each goroutine reports on a done channel and the
// caller receives once per payment.
int semaphore_done_channel(Job& job, int limit) {
    Channel<Unit> sem(limit);
    Channel<bool> done(job.n);
    for (Payment p : make_payments(job.n)) {
        sem.send({});
        go([&job, sem, done, p] {
            bool ok = job.check_remote(p);
            sem.recv();
            done.send(ok);
        });
    }
    int ok = 0;
    for (int i = 0; i < job.n; i++) ok += done.recv();
    return ok;
}

}  // namespace

GOCXX_TEST(semaphore_with_waitgroup_caps_in_flight) {
    Job job(kPayments);
    int ok = semaphore_waitgroup(job, kLimit);
    BOOST_TEST(ok == kPayments);
    BOOST_TEST(job.times_wrong() == 0);
    BOOST_TEST(job.in_flight.load() == 0);
    BOOST_TEST(job.max_in_flight.load() >= 1);
    BOOST_TEST(job.max_in_flight.load() <= kLimit);
}

GOCXX_TEST(semaphore_with_done_channel_caps_in_flight) {
    Job job(kPayments);
    int ok = semaphore_done_channel(job, kLimit);
    BOOST_TEST(ok == kPayments);
    BOOST_TEST(job.times_wrong() == 0);
    BOOST_TEST(job.in_flight.load() == 0);
    BOOST_TEST(job.max_in_flight.load() >= 1);
    BOOST_TEST(job.max_in_flight.load() <= kLimit);
}

// A limit of 1 is the sequential program again, run by goroutines.
GOCXX_TEST(semaphore_of_one_is_sequential) {
    Job job(200);
    BOOST_TEST(semaphore_waitgroup(job, 1) == 200);
    BOOST_TEST(job.times_wrong() == 0);
    BOOST_TEST(job.max_in_flight.load() == 1);

    Job job2(200);
    BOOST_TEST(semaphore_done_channel(job2, 1) == 200);
    BOOST_TEST(job2.times_wrong() == 0);
    BOOST_TEST(job2.max_in_flight.load() == 1);
}

// examples/sequential.cpp
GOCXX_TEST(sequential_processes_each_once) {
    Job job(kPayments);
    int ok = 0;
    for (Payment p : make_payments(job.n)) ok += job.check_remote(p);
    BOOST_TEST(ok == kPayments);
    BOOST_TEST(job.times_wrong() == 0);
    BOOST_TEST(job.max_in_flight.load() == 1);
}

// examples/naive.cpp: a goroutine per payment and no limit. Every payment is
// still processed once; nothing bounds how many are in flight.
GOCXX_TEST(naive_processes_each_once) {
    Job job(kPayments);
    std::atomic<int> ok{0};
    sync::WaitGroup wg;
    for (Payment p : make_payments(job.n)) {
        wg.add(1);
        go([&, p] {
            auto d = defer([&] { wg.done(); });
            if (job.check_remote(p)) ok++;
        });
    }
    wg.wait();
    BOOST_TEST(ok.load() == kPayments);
    BOOST_TEST(job.times_wrong() == 0);
    BOOST_TEST(job.max_in_flight.load() >= 1);
}

// examples/waitgroup.cpp: wait for five workers.
GOCXX_TEST(waitgroup_waits_for_every_worker) {
    std::array<std::atomic<int>, 6> ran{};
    sync::WaitGroup wg;
    for (int i = 1; i <= 5; i++) {
        wg.add(1);
        go([&](int id) {
            auto d = defer([&] { wg.done(); });
            runtime::gosched();
            ran[id].fetch_add(1);
        }, i);
    }
    wg.wait();
    for (int i = 1; i <= 5; i++) BOOST_TEST(ran[i].load() == 1);
    BOOST_TEST(ran[0].load() == 0);
}
