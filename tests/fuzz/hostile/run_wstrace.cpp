// SPDX-License-Identifier: MIT
#include "tests/fuzz/hostile/run_wstrace.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
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
        const auto j = nlohmann::json::parse(line).at("connection");
        WstraceRun::Conn c;
        c.client = j.at("client").get<std::string>();
        c.outcome = j.at("outcome").get<std::string>();
        c.cleanClose = j.at("clean_close").get<bool>();
        for (int d = 0; d < 2; ++d) {
            const auto& s = j.at(d == 0 ? "c2s" : "s2c");
            c.frames[d] = s.at("frames").get<std::uint64_t>();
            c.binaryFrames[d] = s.at("frames_by_opcode").value("binary", std::uint64_t{0});
        }
        run.connections.push_back(std::move(c));
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
                      int timeoutSeconds, std::uint64_t addressSpaceBytes) {
    WstraceRun run;
    // A forked child inherits the parent's peak RSS (Linux copies the high-water mark at fork
    // and keeps it across exec), so the test process's own memory would count. /usr/bin/time,
    // a small process, forks wstrace afresh and reports wstrace's own peak.
    char timePath[] = "/tmp/wst_hostile_rss_XXXXXX";
    const int timeFd = mkstemp(timePath);
    const bool useTime = timeFd >= 0 && access("/usr/bin/time", X_OK) == 0;
    std::vector<std::string> args;
    // coreutils timeout kills the whole process group (time and wstrace) on a hang.
    const bool useTimeout = access("/usr/bin/timeout", X_OK) == 0;
    if (useTimeout) {
        args = {"/usr/bin/timeout", "-s", "KILL", std::to_string(timeoutSeconds * kSlowdown)};
    }
    if (useTime) {
        args.insert(args.end(), {"/usr/bin/time", "-f", "%M", "-o", timePath});
    }
    args.insert(args.end(), {WST_WSTRACE_BIN, "-r", file, "--format", "jsonl"});
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
        if (!useTimeout) {
            alarm(static_cast<unsigned>(timeoutSeconds * kSlowdown)); // a hang ends as SIGALRM
        }
        if (addressSpaceBytes > 0) {
            const rlimit limit{addressSpaceBytes, addressSpaceBytes};
            setrlimit(RLIMIT_AS, &limit); // inherited by timeout, time and wstrace
        }
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
    if (useTime) {
        std::ifstream rss(timePath);
        std::string text((std::istreambuf_iterator<char>(rss)), {});
        // The last line is %M; earlier lines may be "Command exited with non-zero status".
        const auto nl = text.find_last_of("0123456789");
        if (nl != std::string::npos) {
            auto start = text.find_last_not_of("0123456789", nl);
            start = start == std::string::npos ? 0 : start + 1;
            run.peakRssKiB = std::stol(text.substr(start, nl - start + 1));
        }
        // /usr/bin/time exits with the command's status, or reports the signal as 128+n.
    }
    if (timeFd >= 0) {
        close(timeFd);
        unlink(timePath);
    }
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
