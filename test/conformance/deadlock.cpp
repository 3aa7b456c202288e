// deadlock: Go's runtime ends a program whose goroutines are all asleep with
// "fatal error: all goroutines are asleep - deadlock!" and status 2; what it
// printed before stays printed.
#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        fmt::Println("start");                   // fmt.Println("start")
        sync::WaitGroup wg;                      // var wg sync.WaitGroup
        Channel<int> results;                    // results := make(chan int)
        for (int i = 0; i < 3; i++) {            // for i := 0; i < 3; i++ {
            wg.add(1);                           //     wg.Add(1)
            go([&wg, results](int i) {           //     go func(i int) {
                auto d = defer([&] { wg.done(); });  //     defer wg.Done()
                results.send(i * i);             //         results <- i * i
            }, i);                               //     }(i)
        }                                        // }
        fmt::Println("waiting");                 // fmt.Println("waiting")
        wg.wait();                               // wg.Wait()
        fmt::Println("unreachable");             // fmt.Println("unreachable")
    });
}
