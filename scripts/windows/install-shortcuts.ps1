# kasuhara-timer @VERSION@: Windows Terminal profiles and desktop shortcuts (called by install.cmd).
#
# Profiles go into a Windows Terminal fragment for every user; desktop shortcuts go onto the
# public desktop and start the launcher, which opens in the default terminal application
# (Windows Terminal on Windows 11; set it as the default terminal on Windows 10, docs/windows.md).
# With -CurrentUserTerminal the installing user also gets shortcuts that start wt.exe itself.
param(
    [Parameter(Mandatory = $true)][string]$Target,
    [switch]$CurrentUserTerminal
)
$ErrorActionPreference = 'Stop'
$launcher = Join-Path $Target 'kasuhara-timer.cmd'
$entries = @(
    @{ Name = '対応タイマー（電話）'; Args = '--channel phone' },
    @{ Name = '対応タイマー（窓口）'; Args = '--channel counter' },
    @{ Name = '対応タイマー'; Args = '' },
    @{ Name = '対応記録の確認（監督者）'; Args = 'review' }
)

$fragments = Join-Path $env:ProgramData 'Microsoft\Windows Terminal\Fragments\kasuhara-timer'
New-Item -ItemType Directory -Force -Path $fragments | Out-Null
$profiles = @($entries | ForEach-Object {
    @{
        name = $_.Name
        commandline = ('"{0}" {1}' -f $launcher, $_.Args).Trim()
        closeOnExit = 'graceful'
        startingDirectory = '%USERPROFILE%'
    }
})
$json = @{ profiles = $profiles } | ConvertTo-Json -Depth 4
[System.IO.File]::WriteAllText(
    (Join-Path $fragments 'kasuhara-timer.json'), $json, (New-Object System.Text.UTF8Encoding($false)))

$shell = New-Object -ComObject WScript.Shell
$public = [Environment]::GetFolderPath('CommonDesktopDirectory')
foreach ($entry in $entries) {
    $link = $shell.CreateShortcut((Join-Path $public ($entry.Name + '.lnk')))
    $link.TargetPath = $launcher
    $link.Arguments = $entry.Args
    $link.Save()
}
if ($CurrentUserTerminal) {
    $wt = Join-Path $env:LOCALAPPDATA 'Microsoft\WindowsApps\wt.exe'
    $desktop = [Environment]::GetFolderPath('Desktop')
    foreach ($entry in $entries) {
        $link = $shell.CreateShortcut((Join-Path $desktop ($entry.Name + ' (Terminal).lnk')))
        $link.TargetPath = $wt
        $link.Arguments = ('new-tab --title "{0}" -- "{1}" {2}' -f $entry.Name, $launcher, $entry.Args).Trim()
        $link.Save()
    }
}
