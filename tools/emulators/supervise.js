#!/usr/bin/env node
// Start helper for script/lib: runs one command and makes sure it cannot outlive the
// shell script that started it.
//
//   node supervise.js <watch-pid> <command> [args...]
//
// - stdio is inherited; the exit code is the command's (128+N if it died of signal N).
// - SIGTERM/SIGINT/SIGHUP received here are forwarded to the command.
// - Every 500 ms it checks that <watch-pid> (the calling script) is still alive. If it
//   is gone (e.g. the script was SIGKILLed and its traps never ran), it sends SIGTERM to
//   its whole process group (script/lib starts it with setsid, so that group is exactly
//   this helper, the command and the command's children), then SIGKILL 5 s later.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");

const [watchArg, command, ...args] = process.argv.slice(2);
const watchPid = parseInt(watchArg, 10);
if (!Number.isInteger(watchPid) || watchPid <= 0 || !command) {
  console.error("usage: node supervise.js <watch-pid> <command> [args...]");
  process.exit(2);
}

function ownProcessGroup() {
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces.
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return parseInt(fields[2], 10);
  } catch {
    return -1;
  }
}
const leadsGroup = ownProcessGroup() === process.pid;

const child = spawn(command, args, { stdio: "inherit" });
child.on("error", err => {
  console.error(`supervise: cannot start ${command}: ${err.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  clearInterval(timer);
  if (signal) {
    const signo = require("os").constants.signals[signal] || 15;
    process.exit(128 + signo);
  }
  process.exit(code === null ? 1 : code);
});

for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(sig, () => {
    try {
      child.kill(sig);
    } catch {
      /* already gone */
    }
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

let orphaned = false;
const timer = setInterval(() => {
  if (orphaned || alive(watchPid)) return;
  orphaned = true;
  console.error(`supervise: parent ${watchPid} is gone; stopping ${command}`);
  const kill = sig => {
    try {
      if (leadsGroup) process.kill(-process.pid, sig);
      else child.kill(sig);
    } catch {
      /* already gone */
    }
  };
  // Our own handler ignores the group SIGTERM (it only forwards), so we stay to escalate.
  kill("SIGTERM");
  setTimeout(() => kill("SIGKILL"), 5000).unref();
}, 500);
