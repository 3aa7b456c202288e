// golang.org/x/sync/semaphore.Weighted: weighted, FIFO, context-aware acquire.
#include <atomic>

#include "fmt.hpp"

using namespace gocxx;
using namespace std::chrono_literals;

int main() {
    return gocxx::run([] {
        context::Context ctx = context::background();           // ctx := context.Background()
        sync::Semaphore s(3);                                    // s := semaphore.NewWeighted(3)
        fmt::Println("try 2", s.try_acquire(2));                 // fmt.Println("try 2", s.TryAcquire(2))
        fmt::Println("try 2 more", s.try_acquire(2));
        fmt::Println("try 1", s.try_acquire(1));
        s.release(3);                                            // s.Release(3)

        // At most 3 workers hold it at once.
        std::atomic<long> cur{0}, max{0};                        // var cur, max int64
        sync::WaitGroup wg;                                      // var wg sync.WaitGroup
        for (int i = 0; i < 20; i++) {                           // for i := 0; i < 20; i++ {
            wg.add(1);                                           //     wg.Add(1)
            go([&] {                                             //     go func() {
                auto guard = defer([&] { wg.done(); });          //         defer wg.Done()
                if (Error err = s.acquire(ctx, 1)) {             //         if err := s.Acquire(ctx, 1); err != nil {
                    return;                                      //             return
                }
                long n = cur.fetch_add(1) + 1;                   //         n := atomic.AddInt64(&cur, 1)
                for (;;) {                                       //         for {
                    long m = max.load();                         //             m := atomic.LoadInt64(&max)
                    if (n <= m || max.compare_exchange_strong(m, n)) {
                        break;
                    }
                }
                runtime::gosched();                              //         runtime.Gosched()
                cur.fetch_sub(1);                                //         atomic.AddInt64(&cur, -1)
                s.release(1);                                    //         s.Release(1)
            });
        }
        wg.wait();                                               // wg.Wait()
        fmt::Println("max in flight <= 3", max.load() <= 3);

        // A full semaphore and a cancelled context: Acquire returns ctx.Err().
        s.acquire(ctx, 3);                                       // s.Acquire(ctx, 3)
        auto [cctx, cancel] = context::with_cancel(ctx);         // cctx, cancel := context.WithCancel(ctx)
        cancel();                                                // cancel()
        fmt::Println("acquire, cancelled:", s.acquire(cctx, 1));
        s.release(3);                                            // s.Release(3)

        // A request larger than the size waits until the context ends, and
        // leaves the semaphore as it was.
        auto [tctx, cancel2] = context::with_timeout(ctx, 20ms); // tctx, cancel2 := context.WithTimeout(ctx, 20*time.Millisecond)
        auto guard2 = defer([&cancel2 = cancel2] { cancel2(); }); // defer cancel2()
        fmt::Println("acquire 10 of 3:", s.acquire(tctx, 10));
        fmt::Println("all 3 still free", s.try_acquire(3));
        s.release(3);                                            // s.Release(3)

        // A context that ends while waiting.
        s.acquire(ctx, 2);                                       // s.Acquire(ctx, 2)
        auto [wctx, cancel3] = context::with_cancel(ctx);        // wctx, cancel3 := context.WithCancel(ctx)
        Channel<Error> errc;                                     // errc := make(chan error)
        go([&s, wctx = wctx, errc] {                             // go func() {
            errc.send(s.acquire(wctx, 2));                       //     errc <- s.Acquire(wctx, 2)
        });
        while (s.try_acquire(1)) {                               // for s.TryAcquire(1) { // until the request for 2 waits
            s.release(1);                                        //     s.Release(1)
            runtime::gosched();                                  //     runtime.Gosched()
        }
        cancel3();                                               // cancel3()
        fmt::Println("waiting acquire:", errc.recv());
        fmt::Println("1 still free", s.try_acquire(1));
        s.release(3);                                            // s.Release(3)

        // FIFO: a large request at the head holds back smaller ones.
        s.acquire(ctx, 2);                                       // s.Acquire(ctx, 2)
        Channel<bool> big;                                       // big := make(chan bool)
        go([&s, ctx, big] {                                      // go func() {
            s.acquire(ctx, 3);                                   //     s.Acquire(ctx, 3)
            fmt::Println("big acquired");
            big.send(true);                                      //     big <- true
        });
        while (s.try_acquire(1)) {                               // for s.TryAcquire(1) { // until the big request waits
            s.release(1);                                        //     s.Release(1)
            runtime::gosched();                                  //     runtime.Gosched()
        }
        fmt::Println("small requests held back behind the big one");
        Channel<bool> small;                                     // small := make(chan bool)
        go([&s, ctx, small] {                                    // go func() {
            s.acquire(ctx, 1);                                   //     s.Acquire(ctx, 1)
            fmt::Println("small acquired");
            small.send(true);                                    //     small <- true
        });
        fmt::Println("release 2");
        s.release(2);                                            // s.Release(2)
        big.recv();                                              // <-big
        fmt::Println("big releases 3");
        s.release(3);                                            // s.Release(3)
        small.recv();                                            // <-small
        s.release(1);                                            // s.Release(1)
        fmt::Println("all free", s.try_acquire(3));
    });
}
