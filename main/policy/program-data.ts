/**
 * Where Windows keeps ProgramData, asked of the OS. The `ProgramData` environment variable is
 * not an answer: a user can set their own, and would then choose which policy (or none) the app
 * reads. `SHGetKnownFolderPath(FOLDERID_ProgramData)` reads the machine's setting, which only an
 * administrator can change. It is called through koffi (a C FFI whose npm package ships
 * prebuilt binaries), loaded on Windows only.
 */
import { createRequire } from 'node:module';
import { win32 } from 'node:path';
import type * as Koffi from 'koffi';

/** Answers where ProgramData is, or throws when the OS cannot say; tests pass their own. */
export type ProgramDataReader = () => string;

/** FOLDERID_ProgramData, {62AB5D82-FDC1-4DC3-A9DD-070D1D495D97}, as the GUID struct lays it out. */
const FOLDERID_PROGRAM_DATA = {
  Data1: 0x62ab5d82,
  Data2: 0xfdc1,
  Data3: 0x4dc3,
  Data4: [0xa9, 0xdd, 0x07, 0x0d, 0x1d, 0x49, 0x5d, 0x97],
};
const S_OK = 0;
/** KF_FLAG_DONT_VERIFY: the path is wanted even if the folder was never made. */
const KF_FLAG_DONT_VERIFY = 0x4000;

/** The OS's answer, through shell32. Only meaningful on Windows. */
export const windowsProgramData: ProgramDataReader = () => {
  const koffi = createRequire(__filename)('koffi') as typeof Koffi;
  const shell32 = koffi.load('shell32.dll');
  const ole32 = koffi.load('ole32.dll');
  try {
    const guid = koffi.struct('EARMARK_GUID', {
      Data1: 'uint32_t',
      Data2: 'uint16_t',
      Data3: 'uint16_t',
      Data4: koffi.array('uint8_t', 8),
    });
    const getKnownFolderPath = shell32.func('__stdcall', 'SHGetKnownFolderPath', 'int32_t', [
      koffi.pointer(guid),
      'uint32_t',
      'void *',
      koffi.out(koffi.pointer('void *')),
    ]);
    const coTaskMemFree = ole32.func('__stdcall', 'CoTaskMemFree', 'void', ['void *']);
    const out: unknown[] = [null];
    const hr = getKnownFolderPath(FOLDERID_PROGRAM_DATA, KF_FLAG_DONT_VERIFY, null, out) as number;
    const [pointer] = out;
    if (hr !== S_OK || pointer === null || pointer === undefined) {
      throw new Error(`SHGetKnownFolderPath(FOLDERID_ProgramData) failed (HRESULT ${hr}).`);
    }
    try {
      return koffi.decode(pointer, 'str16') as string;
    } finally {
      coTaskMemFree(pointer);
    }
  } finally {
    shell32.unload();
    ole32.unload();
  }
};

/**
 * ProgramData from `read`, checked: an absolute Windows path, or an error (the app then refuses
 * to start, as for a broken policy, rather than run without the admin's policy).
 */
export function programDataFolder(read: ProgramDataReader): string {
  const folder = read();
  if (!win32.isAbsolute(folder) || folder.startsWith('\\\\')) {
    throw new Error(`Windows gave "${folder}" as the ProgramData folder, which is not a local absolute path.`);
  }
  return folder;
}
