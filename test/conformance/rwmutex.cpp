// sync.RWMutex: shared readers, exclusive writers; a waiting writer holds back new readers.
#include <map>
#include <mutex>
#include <shared_mutex>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        sync::RWMutex rw;                                          // var rw sync.RWMutex
        rw.rlock();                                                // rw.RLock()
        fmt::Println("second reader", rw.try_rlock());             // fmt.Println("second reader", rw.TryRLock())
        fmt::Println("writer while read-locked", rw.try_lock());
        rw.runlock();                                              // rw.RUnlock()
        rw.runlock();                                              // rw.RUnlock()
        fmt::Println("writer when free", rw.try_lock());
        fmt::Println("reader while write-locked", rw.try_rlock());
        rw.unlock();                                               // rw.Unlock()

        // Two readers hold the lock at the same time.
        Channel<bool> in;                                          // in := make(chan bool)
        Channel<bool> release;                                     // release := make(chan bool)
        Channel<bool> out;                                         // out := make(chan bool)
        for (int i = 0; i < 2; i++) {                              // for i := 0; i < 2; i++ {
            go([&rw, in, release, out] {                           //     go func() {
                std::shared_lock<sync::RWMutex> lock(rw);          //         rw.RLock()
                in.send(true);                                     //         in <- true
                release.recv();                                    //         <-release
                lock.unlock();                                     //         rw.RUnlock()
                out.send(true);                                    //         out <- true
            });
        }
        in.recv();                                                 // <-in
        in.recv();                                                 // <-in
        fmt::Println("both readers inside");
        release.close();                                           // close(release)
        out.recv();                                                // <-out
        out.recv();                                                // <-out

        // A writer waits for the readers; new readers wait behind the writer.
        rw.rlock();                                                // rw.RLock()
        Channel<bool> wrote;                                       // wrote := make(chan bool)
        go([&rw, wrote] {                                          // go func() {
            rw.lock();                                             //     rw.Lock()
            fmt::Println("writer");
            rw.unlock();                                           //     rw.Unlock()
            wrote.send(true);                                      //     wrote <- true
        });
        while (rw.try_rlock()) {                                   // for rw.TryRLock() { // until the writer is waiting
            rw.runlock();                                          //     rw.RUnlock()
            runtime::gosched();                                    //     runtime.Gosched()
        }
        fmt::Println("new readers held back");
        Channel<bool> read_done;                                   // readDone := make(chan bool)
        go([&rw, read_done] {                                      // go func() {
            rw.rlock();                                            //     rw.RLock()
            fmt::Println("reader after the writer");
            rw.runlock();                                          //     rw.RUnlock()
            read_done.send(true);                                  //     readDone <- true
        });
        fmt::Println("first reader leaves");
        rw.runlock();                                              // rw.RUnlock()
        wrote.recv();                                              // <-wrote
        read_done.recv();                                          // <-readDone

        // Readers and writers on a shared map.
        std::map<int, int> m;                                      // m := map[int]int{}
        sync::WaitGroup wg;                                        // var wg sync.WaitGroup
        for (int w = 0; w < 4; w++) {                              // for w := 0; w < 4; w++ {
            wg.add(1);                                             //     wg.Add(1)
            go([&](int w) {                                        //     go func(w int) {
                auto guard = defer([&] { wg.done(); });            //         defer wg.Done()
                for (int i = 0; i < 100; i++) {                    //         for i := 0; i < 100; i++ {
                    {
                        std::lock_guard<sync::RWMutex> lock(rw);   //             rw.Lock()
                        m[i % 10] += w;                            //             m[i%10] += w
                    }                                              //             rw.Unlock()
                    {
                        std::shared_lock<sync::RWMutex> lock(rw);  //             rw.RLock()
                        [[maybe_unused]] auto it = m.find(i % 10); //             _ = m[i%10]
                    }                                              //             rw.RUnlock()
                }
            }, w);
        }
        wg.wait();                                                 // wg.Wait()
        int sum = 0;                                               // sum := 0
        for (auto [k, v] : m) {                                    // for _, v := range m {
            sum += v;                                              //     sum += v
        }
        fmt::Println("sum", sum);

        // RLocker: a Locker for the read side; a Cond of readers over it.
        sync::RLocker& rl = rw.rlocker();                          // rl := rw.RLocker()
        rl.lock();                                                 // rl.Lock()
        const bool tl = rw.try_lock();                             // (Go evaluates Println's arguments in order)
        const bool trl = rw.try_rlock();
        fmt::Println("rlocker holds a read lock, TryLock:", tl, "TryRLock:", trl);
        rw.runlock();                                              // rw.RUnlock()
        rl.unlock();                                               // rl.Unlock()
        fmt::Println("after Unlock, TryLock:", rw.try_lock());
        rw.unlock();
        sync::Cond cond(rw.rlocker());                             // cond := sync.NewCond(rw.RLocker())
        bool ready = false;
        Channel<int> woke(3);                                      // woke := make(chan int, 3)
        for (int r = 0; r < 3; r++) {
            wg.add(1);
            go([&](int r) {                                        //     go func(r int) {
                auto guard = defer([&] { wg.done(); });
                rl.lock();
                while (!ready) {                                   //         for !ready {
                    cond.wait();                                   //             cond.Wait()
                }
                rl.unlock();
                woke.send(r);                                      //         woke <- r
            }, r);
        }
        rw.lock();
        ready = true;
        rw.unlock();
        cond.broadcast();                                          // cond.Broadcast()
        wg.wait();
        fmt::Println("readers woken", woke.len());
    });
}
