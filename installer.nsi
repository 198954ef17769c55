; Windows installer for tracker: a per-user install of the PyInstaller bundle, no admin rights.
;
; Built by `python packaging/build.py --installer`, which runs
;   makensis -DVERSION=<version from pyproject.toml> -DVERSION_NUMERIC=<x.y.z.0>
;            -DBUNDLE_DIR=<dist\tracker> -DOUTFILE=<dist\tracker-VERSION-setup.exe>
;            -DICON=<build\packaging\icons\tracker.ico> installer.nsi
; On Windows that packs the Windows bundle. CI on Linux runs the same command against the
; Linux bundle: it proves the script compiles and packs a bundle, but that installer holds
; Linux files and is not meant to be run.
;
; What it does: installs to %LOCALAPPDATA%\Programs\Tracker, adds a Start-menu shortcut and
; an entry in "Installed apps", optionally starts Tracker at login (the same Run value the
; app's own setting uses), and offers to start Tracker when done. The uninstaller removes the
; program, the shortcut, the Run value and its own entry; the user's data (entries, settings,
; logs in %LOCALAPPDATA%\tracker, and the API key in Windows Credential Manager) stays unless
; "Remove my data" is ticked.

Unicode true

!ifndef VERSION
  !error "VERSION is not set: build with packaging/build.py --installer, or pass -DVERSION=x.y.z (pyproject.toml's version)"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not set: pass -DBUNDLE_DIR=<the PyInstaller bundle folder, dist\tracker>"
!endif
!ifndef OUTFILE
  !define OUTFILE "dist\tracker-${VERSION}-setup.exe"
!endif
!if ! /FileExists "${BUNDLE_DIR}\tracker.exe"
  !warning "${BUNDLE_DIR} has no tracker.exe: not a Windows bundle (fine for checking that the script compiles)"
!endif

!define APP_NAME "Tracker"
!define APP_EXE "tracker.exe"
!define CLI_EXE "tracker-cli.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Tracker"
; Start at login: HKCU\...\Run, value "Tracker" = "<INSTDIR>\tracker.exe" (quoted). The app's
; own "Start at login" setting writes and removes this SAME value name under this same key,
; so the installer's choice and the app's switch are one setting. Change both or neither.
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define RUN_VALUE "Tracker"
; platformdirs.user_data_dir("tracker", appauthor=False): the store, preferences and logs.
!define DATA_DIR "$LOCALAPPDATA\tracker"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Tracker"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
; -DFAST: no compression, for checking the script in CI (packing 160 MB with LZMA takes minutes).
!ifdef FAST
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
ManifestDPIAware true
ShowInstDetails nevershow
ShowUninstDetails nevershow

!ifdef VERSION_NUMERIC
  VIProductVersion "${VERSION_NUMERIC}"
  VIFileVersion "${VERSION_NUMERIC}"
  VIAddVersionKey "ProductName" "${APP_NAME}"
  VIAddVersionKey "ProductVersion" "${VERSION}"
  VIAddVersionKey "FileVersion" "${VERSION}"
  VIAddVersionKey "FileDescription" "${APP_NAME} ${VERSION} setup"
  VIAddVersionKey "LegalCopyright" "MIT licence"
!endif

!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME} now"

!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; A running tracker.exe locks its files. Windows refuses to open a running program for
; writing, so that is the test. `tracker-cli quit` first asks a running app to leave (it
; finishes a write in flight); if it is still running, the person quits it and retries.
!macro WAIT_UNTIL_CLOSED un
  Function ${un}WaitUntilClosed
    IfFileExists "$INSTDIR\${APP_EXE}" 0 done
    IfFileExists "$INSTDIR\tracker-cli.exe" 0 retry
    nsExec::Exec '"$INSTDIR\tracker-cli.exe" quit'
    Pop $0
    Sleep 1500
    retry:
      ClearErrors
      FileOpen $0 "$INSTDIR\${APP_EXE}" a
      IfErrors 0 closed
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
        "${APP_NAME} is running. Choose Quit in its tray menu, then Retry." \
        /SD IDCANCEL IDRETRY retry
      Abort "${APP_NAME} is still running."
    closed:
      FileClose $0
    done:
  FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; --- install ---------------------------------------------------------------------------------

Section "${APP_NAME} (required)" SecApp
  SectionIn RO
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  ; Replace the previous version's libraries rather than merge, so nothing stale lingers.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The tracker authors"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Ticked writes the Run value; unticked leaves it as it is (the app's setting governs it).
Section "Start ${APP_NAME} at login" SecAutostart
  WriteRegStr HKCU "${RUN_KEY}" "${RUN_VALUE}" '"$INSTDIR\${APP_EXE}"'
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "The tray app, the tracker-cli command line and a Start-menu shortcut."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "Start ${APP_NAME} in the tray when you sign in to Windows. It can be switched off later in ${APP_NAME}'s settings."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; --- uninstall -------------------------------------------------------------------------------

; Runs first, while tracker-cli.exe is still there to forget the API key in the keyring.
Section /o "un.Remove my data (entries, settings, logs and the API key)" SecUnData
  Call un.WaitUntilClosed
  IfFileExists "$INSTDIR\${CLI_EXE}" 0 +2
    nsExec::Exec '"$INSTDIR\${CLI_EXE}" logout'
  RMDir /r "${DATA_DIR}"
SectionEnd

Section "un.${APP_NAME} (the program)" SecUnApp
  SectionIn RO
  Call un.WaitUntilClosed
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ; Only what the installer put there: never a recursive delete of $INSTDIR itself.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecUnData} "Also delete ${DATA_DIR} and the API key. Entries not yet sent to Clockify are lost."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
