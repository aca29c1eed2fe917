@echo off
rem kasuhara-timer @VERSION@: offline install on a Windows desk PC (no internet needed).
rem
rem   install.cmd [FOLDER]     default FOLDER: %ProgramFiles%\kasuhara-timer (run as administrator)
rem
rem Needs CPython @PYTHON@ (64-bit) already installed, e.g. the python.org installer "for all
rem users", or set KASUHARA_PYTHON to its python.exe. Every wheel is installed from wheels\ with
rem the SHA-256 the lock gives (requirements.lock): what the tests ran on is what the desk gets.
setlocal EnableExtensions
set "HERE=%~dp0"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%ProgramFiles%\kasuhara-timer"
set "PYTHON=%KASUHARA_PYTHON%"
if not defined PYTHON (
  py -@PYTHON@ -c "import sys" >nul 2>&1 && set "PYTHON=py -@PYTHON@"
)
if not defined PYTHON (
  python -c "import sys; sys.exit(sys.version_info[:2] != (@PYTHON_TUPLE@))" >nul 2>&1 && set "PYTHON=python"
)
if not defined PYTHON (
  echo Python @PYTHON@ was not found. Install it for all users, or set KASUHARA_PYTHON to its python.exe, then run install.cmd again.
  exit /b 1
)
echo Installing kasuhara-timer @VERSION@ into "%TARGET%" ...
%PYTHON% -m venv "%TARGET%\venv" || goto :failed
"%TARGET%\venv\Scripts\python.exe" -m pip install --quiet --no-index --find-links "%HERE%wheels" --require-hashes -r "%HERE%requirements.lock" || goto :failed
"%TARGET%\venv\Scripts\python.exe" -m pip install --quiet --no-index --no-deps --find-links "%HERE%wheels" kasuhara-timer==@VERSION@ || goto :failed
"%TARGET%\venv\Scripts\python.exe" -m pip check || goto :failed
> "%TARGET%\kasuhara-timer.cmd" (
  echo @echo off
  echo rem Starts kasuhara-timer with this PC's settings in %%ProgramData%%\kasuhara-timer\config.toml
  echo if not defined KASUHARA_CONFIG_FILE if exist "%%ProgramData%%\kasuhara-timer\config.toml" set "KASUHARA_CONFIG_FILE=%%ProgramData%%\kasuhara-timer\config.toml"
  echo "%%~dp0venv\Scripts\kasuhara-timer.exe" %%*
) || goto :failed
if not exist "%ProgramData%\kasuhara-timer" mkdir "%ProgramData%\kasuhara-timer" || goto :failed
if not exist "%ProgramData%\kasuhara-timer\config.toml" copy "%HERE%config.toml.example" "%ProgramData%\kasuhara-timer\config.toml" >nul
powershell -NoProfile -ExecutionPolicy Bypass -File "%HERE%install-shortcuts.ps1" -Target "%TARGET%" || goto :failed
call "%TARGET%\kasuhara-timer.cmd" profiles >nul || goto :failed
echo kasuhara-timer @VERSION@ is installed. Edit %ProgramData%\kasuhara-timer\config.toml for the shared data folder and the microphone.
exit /b 0
:failed
echo The installation stopped: see the message above. Run install.cmd again once it is fixed.
exit /b 1
