// SPDX-License-Identifier: MIT
#include "run_wstrace.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace wst::hostile {

namespace {

void handleLine(WstraceRun& run, std::string_view line) {
    ++run.lines;
    // Only the few line types the tests look at are parsed; events are just counted.
    constexpr std::string_view kEnd = R"({"type":"connection_end")";
    constexpr std::string_view kAnomaly = R"({"type":"anomaly")";
    constexpr std::string_view kFinish = R"({"type":"finish")";
    if (line.starts_with(kEnd)) {
        run.connections.push_back(nlohmann::json::parse(line).at("connection"));
    } else if (line.starts_with(kAnomaly)) {
        ++run.anomalies[nlohmann::json::parse(line).at("id").get<std::string>()];
    } else if (line.starts_with(kFinish)) {
        run.finishStats = nlohmann::json::parse(line).at("stats");
    }
}

} // namespace

std::string WstraceRun::describe() const {
    std::string a;
    for (const auto& [id, n] : anomalies) {
        a += fmt::format(" {}x{}", id, n);
    }
    return fmt::format("exit {} signal {}, {} lines, {} connections, peak {} KiB, {:.2f} s, "
                       "anomalies:{}; stderr: {}",
                       exitCode, signal, lines, connections.size(), peakRssKiB, seconds, a,
                       stderrText.substr(0, 400));
}

WstraceRun runWstrace(const std::string& file, const std::vector<std::string>& extra,
                      int timeoutSeconds) {
    WstraceRun run;
    std::vector<std::string> args = {WST_WSTRACE_BIN, "-r", file, "--format", "jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    char errPath[] = "/tmp/wst_hostile_stderr_XXXXXX";
    const int errFd = mkstemp(errPath);
    int out[2];
    if (errFd < 0 || pipe(out) != 0) {
        run.stderrText = "test harness: cannot create pipe or temp file";
        return run;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(errFd, STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        alarm(static_cast<unsigned>(timeoutSeconds)); // a hang ends as SIGALRM
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    std::string pending;
    std::vector<char> buf(1 << 20);
    for (;;) {
        const ssize_t n = read(out[0], buf.data(), buf.size());
        if (n <= 0) {
            break;
        }
        pending.append(buf.data(), static_cast<std::size_t>(n));
        std::size_t start = 0;
        for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos;
             start = nl + 1) {
            handleLine(run, std::string_view(pending).substr(start, nl - start));
        }
        pending.erase(0, start);
    }
    close(out[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    run.peakRssKiB = usage.ru_maxrss;
    if (WIFEXITED(status)) {
        run.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        run.signal = WTERMSIG(status);
    }
    std::ifstream err(errPath);
    std::stringstream ss;
    ss << err.rdbuf();
    run.stderrText = ss.str();
    close(errFd);
    unlink(errPath);
    return run;
}

} // namespace wst::hostile
