// sync.Once: runs f once; done even when f panics; later callers wait for the first.
#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        sync::Once once;                                   // var once sync.Once
        int count = 0;                                     // count := 0
        sync::WaitGroup wg;                                // var wg sync.WaitGroup
        for (int i = 0; i < 10; i++) {                     // for i := 0; i < 10; i++ {
            wg.add(1);                                     //     wg.Add(1)
            go([&] {                                       //     go func() {
                auto guard = defer([&] { wg.done(); });    //         defer wg.Done()
                once.call([&] { count++; });               //         once.Do(func() { count++ })
            });
        }
        wg.wait();                                         // wg.Wait()
        fmt::Println("count", count);
        once.call([&] { count++; });                       // once.Do(func() { count++ })
        fmt::Println("count", count);

        sync::Once o2;                                     // var o2 sync.Once
        try {                                              // func() { defer func() { ... recover() }()
            o2.call([] { throw Panic("boom"); });          //     o2.Do(func() { panic("boom") })
        } catch (const Panic& e) {
            fmt::Println("recovered:", e.what());
        }
        bool ran = false;                                  // ran := false
        o2.call([&] { ran = true; });                      // o2.Do(func() { ran = true })
        fmt::Println("second Do ran", ran);

        sync::Once o3;                                     // var o3 sync.Once
        Channel<bool> started;                             // started := make(chan bool)
        Channel<bool> finish;                              // finish := make(chan bool)
        int value = 0;                                     // value := 0
        go([&, started, finish] {                          // go func() {
            o3.call([&] {                                  //     o3.Do(func() {
                started.send(true);                        //         started <- true
                finish.recv();                             //         <-finish
                value = 42;                                //         value = 42
            });
        });
        started.recv();                                    // <-started
        Channel<int> res;                                  // res := make(chan int)
        go([&, res] {                                      // go func() {
            o3.call([&] { value = -1; });                  //     o3.Do(func() { value = -1 })
            res.send(value);                               //     res <- value
        });
        finish.close();                                    // close(finish)
        fmt::Println("second caller sees", res.recv());
    });
}
