// select_dynamic: reflect.Select, a select whose cases are known at run time.
//
// gocxx::Select is the []reflect.SelectCase and reflect.Select in one:
// sel.recv(ch), sel.send(ch, v) and sel.default_() append a case (returning
// its index), sel.run() is reflect.Select(cases), and the value it returns
// is read with value.get<T>() (Go's value.Interface().(T)).
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

template <class F>
void try_(const std::string& name, F f) {  // func try(name string, f func()) {
    try {
        f();                               //     f()
    } catch (const Panic& e) {             //     defer func() { if r := recover(); r != nil {
        fmt::Println(name, "-> panic:", e.what());
        return;
    }
    fmt::Println(name, "-> no panic");
}

int main() {
    return gocxx::run([] {
        // Fan-in over a slice of channels; a closed input is removed.
        constexpr int n = 8;                                    // const n = 8
        std::vector<Channel<int>> inputs;                       // inputs := make([]chan int, n)
        for (int i = 0; i < n; i++) {                           // for i := range inputs {
            inputs.emplace_back(i % 2);                         //     inputs[i] = make(chan int, i%2)
            go([](int i, Channel<int> ch) {                     //     go func(i int, ch chan int) {
                for (int j = 1; j <= 10; j++) {                 //         for j := 1; j <= 10; j++ {
                    ch.send(i * 100 + j);                       //             ch <- i*100 + j
                }
                ch.close();                                     //         close(ch)
            }, i, inputs[i]);                                   //     }(i, inputs[i])
        }
        Select cases;                                           // cases := make([]reflect.SelectCase, n)
        for (auto& ch : inputs) {                               // for i, ch := range inputs {
            cases.recv(ch);                                     //     cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)}
        }
        int sum = 0, count = 0, closed = 0;                     // sum, count, closed := 0, 0, 0
        while (cases.size() > 0) {                              // for len(cases) > 0 {
            auto [chosen, value, ok] = cases.run();             //     chosen, value, ok := reflect.Select(cases)
            if (!ok) {                                          //     if !ok {
                closed++;                                       //         closed++
                cases.remove(chosen);                           //         cases = append(cases[:chosen], cases[chosen+1:]...)
                continue;                                       //         continue
            }
            sum += value.get<int>();                            //     sum += value.Interface().(int)
            count++;                                            //     count++
        }
        fmt::Println("fan-in", count, sum, "closed", closed);

        // A send case, a receive case and a default.
        Channel<int> a(1);                                      // a := make(chan int, 1)
        Channel<std::string> b(1);                              // b := make(chan string, 1)
        Select sel;                                             // sel := []reflect.SelectCase{
        sel.recv(a);                                            //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(a)},
        sel.send(b, "hi");                                      //     {Dir: reflect.SelectSend, Chan: reflect.ValueOf(b), Send: reflect.ValueOf("hi")},
        sel.default_();                                         //     {Dir: reflect.SelectDefault},
        {
            auto [chosen, value, ok] = sel.run();               // chosen, value, ok := reflect.Select(sel)
            fmt::Println("send", chosen, value.is_valid(), ok, b.recv());
        }
        b.send("full");                                         // b <- "full"
        {
            auto [chosen, value, ok] = sel.run();
            fmt::Println("default", chosen, value.is_valid(), ok);
        }
        a.send(42);                                             // a <- 42
        {
            auto [chosen, value, ok] = sel.run();
            fmt::Println("recv", chosen, value.get<int>(), ok);
        }
        a.close();                                              // close(a)
        {
            auto [chosen, value, ok] = sel.run();
            fmt::Println("closed", chosen, value.is_valid(), value.get<int>(), ok);
        }
        sel.disable(0);                                         // sel[0].Chan = reflect.Value{}
        fmt::Println("disabled", sel.run().index);

        // Nil channels are never ready.
        Channel<int> nilc = nullptr;                            // var nilc chan int
        Select nils;                                            // nils := []reflect.SelectCase{
        nils.recv(nilc);                                        //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(nilc)},
        nils.send(nilc, 1);                                     //     {Dir: reflect.SelectSend, Chan: reflect.ValueOf(nilc), Send: reflect.ValueOf(1)},
        nils.default_();                                        //     {Dir: reflect.SelectDefault},
        fmt::Println("nil cases", nils.run().index);

        // Strings and channels: the zero values are "" and nil.
        Channel<std::string> words;                             // words := make(chan string)
        words.close();                                          // close(words)
        Channel<Channel<int>> chans;                            // chans := make(chan chan int)
        chans.close();                                          // close(chans)
        {
            Select zs;                                          // zs := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(words)}}
            zs.recv(words);
            auto [chosen, value, ok] = zs.run();                // _, value, ok = reflect.Select(zs)
            fmt::Println("zero string", fmt::quote(value.get<std::string>()), ok);
        }
        {
            Select zs;                                          // zs[0].Chan = reflect.ValueOf(chans)
            zs.recv(chans);
            auto [chosen, value, ok] = zs.run();                // _, value, ok = reflect.Select(zs)
            Channel<int> c = value.get<Channel<int>>();         // c := value.Interface().(chan int)
            fmt::Println("zero chan", c == nullptr, ok);
            try_("close zero chan", [&] { c.close(); });
        }

        // Blocking until a case is ready.
        Channel<int> late;                                      // late := make(chan int)
        go([late] { late.send(7); });                           // go func() { late <- 7 }()
        {
            Select s;                                           // reflect.Select([]reflect.SelectCase{
            s.recv(Channel<int>());                             //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(make(chan int))},
            s.recv(late);                                       //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(late)},
            auto [chosen, value, ok] = s.run();
            fmt::Println("late", chosen, value.get<int>());
        }

        // Random choice among ready cases.
        Channel<int> x(1);                                      // x := make(chan int, 1)
        Channel<int> y(1);                                      // y := make(chan int, 1)
        Select xy;                                              // xy := []reflect.SelectCase{
        xy.recv(x);                                             //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(x)},
        xy.recv(y);                                             //     {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(y)},
        int hits[2] = {};                                       // hits := [2]int{}
        for (int i = 0; i < 1000; i++) {                        // for i := 0; i < 1000; i++ {
            if (x.len() == 0) {                                 //     if len(x) == 0 {
                x.send(1);                                      //         x <- 1
            }
            if (y.len() == 0) {                                 //     if len(y) == 0 {
                y.send(2);                                      //         y <- 2
            }
            hits[xy.run().index]++;                             //     chosen, _, _ := reflect.Select(xy); hits[chosen]++
        }
        fmt::Println("both chosen", hits[0] > 300 && hits[1] > 300, "total", hits[0] + hits[1]);

        // Panics.
        Channel<int> shut(1);                                   // shut := make(chan int, 1)
        shut.close();                                           // close(shut)
        try_("send on closed", [&] {
            Select s;
            s.send(shut, 1);
            s.run();
        });
        try_("two defaults", [&] {                              // (gocxx panics when the second is added)
            Select s;
            s.default_();
            s.default_();
            s.run();
        });
    });
}
