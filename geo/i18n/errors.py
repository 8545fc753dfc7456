"""What every error and field problem says to the user, in Chinese and English, by code.

``geo.i18n.error_text`` and ``geo.i18n.problem_text`` format these with the error's ``params``.
No text names a host, a user of the database, a database, a file path or a driver message:
those stay in ``str(err)``, for the server log and the command line.
"""

from __future__ import annotations

#: Error code → language → text (``str.format`` fields are the error's params).
ERROR_TEXTS: dict[str, dict[str, str]] = {
    "error": {"zh": "操作未能完成。", "en": "The operation could not be completed."},
    "report_needs_out": {"zh": "Excel 工作簿是二进制文件,请用 --out 指定输出文件。",
                         "en": "An xlsx workbook is binary; give --out PATH."},
    # The plan file
    "plan_unreadable": {"zh": "无法读取规划文件。", "en": "The plan file cannot be read."},
    "plan_empty": {"zh": "规划文件是空的。", "en": "The plan file is empty."},
    "plan_binary": {"zh": "规划文件是二进制文件,不是文本文档。", "en": "The plan file is binary, not a text document."},
    "plan_undecodable": {"zh": "规划文件不是 UTF-8、UTF-16 或 GB18030/GBK 编码的文本。",
                         "en": "The plan file is neither UTF-8, UTF-16 nor GB18030/GBK text."},
    "plan_no_chinese": {"zh": "规划文件按 {encoding} 解码后不含中文。",
                        "en": "The plan file decodes as {encoding} but holds no Chinese text."},
    "plan_too_large": {"zh": "规划文件超过 {limit_mb} MB 的上限;请检查是否选错了文件。",
                       "en": "The plan file is larger than the limit of {limit_mb} MB; is it the right file?"},
    "plan_utf16_no_bom": {"zh": "规划文件像是没有字节顺序标记(BOM)的 UTF-16 文本;请另存为 UTF-8 或带 BOM 的 UTF-16。",
                          "en": "The plan file looks like UTF-16 text without a byte order mark; "
                                "save it as UTF-8 or as UTF-16 with a BOM."},
    "plan_damaged": {"zh": "规划文件是 {form} 文件,但已损坏、加密或无法打开。",
                     "en": "The plan file is a {form} file but is damaged, encrypted or cannot be opened."},
    "plan_no_text": {"zh": "规划文件({form})中没有正文文字。", "en": "The plan file ({form}) holds no body text."},
    "plan_no_text_layer": {"zh": "规划 PDF 没有文字层(可能是扫描件),需先做文字识别(OCR)或索取文字版。",
                           "en": "The plan PDF has no text layer (a scan?); it needs OCR, or ask for the text."},
    "plan_no_clauses": {"zh": "规划中没有找到条款:没有以(……负责)结尾的段落。",
                        "en": "No clause found: no paragraph ends in a responsibility note such as (…负责)."},
    "plan_no_title": {"zh": "没有找到文件标题(如《……方案》、……合作协议、……备忘录或关于印发……的通知)。",
                      "en": "No document title found (expected 《…方案》, …合作协议, …备忘录 or 关于印发…的通知)."},
    "plan_no_year": {"zh": "没有找到年份:标题中没有年份,没有发布或印发日期(如 发布日期:2014-10-24、"
                           "二〇一四年十月二十四日),正文中也没有“20xx年”;请用 --year 指定年份。",
                     "en": "No year found: the title names none, there is no issue date (发布日期:2014-10-24, "
                           "2014年10月24日, 二〇一四年十月二十四日) and the text names no 20xx年; give it with --year."},
    "plan_no_region": {"zh": "没有找到发文政府:标题和开头几行中没有省、自治区或直辖市的名称。",
                       "en": "No issuing government found: the title and first lines name no province or region."},
    "place_not_found": {"zh": "地名库中没有“{name}”;相近的有:{suggestions}。",
                        "en": "No gazetteer entry for “{name}”; closest: {suggestions}."},
    "places_not_found": {"zh": "{count} 个地名不在地名库中:{names}。",
                         "en": "{count} place names are not in the gazetteer: {names}."},
    # Layers
    "layers_invalid": {"zh": "图层数据有 {count} 处问题。", "en": "The layers have {count} problems."},
    "layers_empty": {"zh": "图层中没有项目。", "en": "The layers hold no project."},
    "plan_missing": {"zh": "图层中没有{year}年的规划;现有:{years}。", "en": "The layers hold no plan of {year}; they hold {years}."},
    "layer_unreadable": {"zh": "图层文件 {layer} 无法读取:不是有效的 GeoJSON 要素集。",
                         "en": "The layer file {layer} cannot be read: it is not a valid GeoJSON feature collection."},
    "layers_missing": {"zh": "图层文件夹不存在。", "en": "The layer folder does not exist."},
    "out_write_failed": {"zh": "无法写入输出文件(没有权限、磁盘只读或已满);没有留下任何文件。",
                         "en": "The output file cannot be written (no permission, or a read-only or full disk); "
                               "nothing was left behind."},
    "out_is_folder": {"zh": "输出位置是一个文件夹;请给出文件名。", "en": "The output location is a folder; give a file name."},
    "out_no_folder": {"zh": "输出文件所在的文件夹不存在。", "en": "The output file's folder does not exist."},
    "out_is_file": {"zh": "输出位置是一个文件,不是文件夹。", "en": "The output location is a file, not a folder."},
    "out_under_file": {"zh": "输出文件夹的上级路径中有一个文件,无法在其中建文件夹。",
                       "en": "A file stands in the output folder's path; no folder can be made there."},
    "out_not_layers": {"zh": "输出文件夹中还有其他文件夹,不是图层文件夹;请为图层单独指定一个文件夹。",
                       "en": "The output folder holds other folders, so it is not a layer folder; "
                             "give the layers a folder of their own."},
    "out_unwritable": {"zh": "输出文件夹不可写。", "en": "The output folder cannot be written to."},
    "layers_write_failed": {"zh": "写入图层失败,原有图层保持不变。",
                            "en": "Writing the layers failed; the previous layers are unchanged."},
    # Basemaps and map assets
    "basemap_gcj02": {"zh": "该底图采用 GCJ-02/BD-09 加密坐标,会把线路画错位置,因此不提供。",
                      "en": "This basemap uses the GCJ-02/BD-09 datum and would draw the lines in the "
                            "wrong place, so it is not offered."},
    "basemap_no_token": {"zh": "未配置天地图密钥。", "en": "No Tianditu key is configured."},
    "basemap_no_url": {"zh": "未配置内网瓦片地址。", "en": "No intranet tile URL is configured."},
    "basemap_bad_url": {"zh": "底图地址不是含 {{z}}、{{x}}、{{y}} 的瓦片模板,或底图名称未知。",
                        "en": "The basemap is unknown or its URL is not a tile template with {{z}}, {{x}} and {{y}}."},
    "asset_unknown": {"zh": "地图需要的 {count} 个资源没有本地副本。",
                      "en": "{count} map resources have no local copy."},
    "asset_missing_package": {"zh": "缺少地图资源包 {package};请安装 requirements.txt。",
                              "en": "The map resource package {package} is missing; install requirements.txt."},
    # The status store
    "store_error": {"zh": "进展库出错。", "en": "The progress store failed."},
    "store_unreachable": {"zh": "暂时无法连接进展库。", "en": "The progress store cannot be reached."},
    "store_refused": {"zh": "进展库拒绝了这次操作。", "en": "The progress store refused the operation."},
    "store_bad_url": {"zh": "进展库的地址配置有误。", "en": "The progress store's address is misconfigured."},
    "store_no_driver": {"zh": "缺少进展库的数据库驱动。", "en": "The progress store's database driver is missing."},
    "store_in_memory": {"zh": "进展库不能放在内存数据库中,请配置一个文件。",
                        "en": "The progress store cannot live in an in-memory database; configure a file."},
    "store_folder": {"zh": "无法创建进展库或其所在的文件夹。",
                     "en": "The progress store or its folder cannot be created."},
    "store_missing": {"zh": "进展库的数据库文件不见了;请从备份恢复,或用 python -m geo store init 新建一个空库。",
                      "en": "The progress store's database file is missing; restore it from a backup, "
                            "or start an empty one with python -m geo store init."},
    "store_not_configured": {"zh": "未配置进展库。", "en": "No progress store is configured."},
    "store_busy": {"zh": "进展库正忙,请稍后再试。", "en": "The progress store is busy; try again."},
    "store_pool_exhausted": {"zh": "进展库的连接都在使用中,请稍后再试。",
                             "en": "Every connection to the progress store is in use; try again."},
    "status_conflict": {
        "zh": "你打开的是第 {expected} 版;此后 {editor} 于 {changed_at} 将其改为“{status}”"
              "(第 {version} 版,生效日期 {effective_date},说明:{note})。请重新载入后再提交。",
        "en": "You loaded version {expected}; since then {editor} set it to “{status}” on {changed_at} "
              "(version {version}, effective {effective_date}, note: {note}). Reload and submit again.",
    },
    "status_invalid": {"zh": "填报内容有 {count} 处问题。", "en": "The update has {count} problems."},
    "aliases_invalid": {"zh": "项目编号别名表有 {count} 处问题。", "en": "The project id aliases have {count} problems."},
    "baselines_invalid": {"zh": "规划基线有 {count} 处问题。", "en": "The plan's baseline has {count} problems."},
    # Accounts
    "login_failed": {"zh": "用户名或密码错误。", "en": "Wrong user name or password."},
    "login_locked": {"zh": "登录失败次数过多,请于 {until} 之后再试。",
                     "en": "Too many failed sign-ins; try again after {until}."},
    "sign_in_required": {"zh": "请先登录再填报进展。", "en": "Sign in to record progress."},
    "account_missing": {"zh": "账号“{name}”已不存在,请重新登录。",
                        "en": "There is no account named “{name}” any more; sign in again."},
    "user_name_invalid": {"zh": "用户名须为 1–{limit} 个字符,不得含控制字符或零宽字符。",
                          "en": "A user name has 1–{limit} characters, without control or zero-width characters."},
    "user_name_reserved": {"zh": "用户名“{name}”保留给规划基线使用。",
                           "en": "The user name “{name}” is reserved for the plan's baseline."},
    "user_name_confusable": {"zh": "用户名“{name}”与已有用户“{existing}”看起来相同(形近字符或大小写不同),请另选一个名字。",
                             "en": "The user name “{name}” looks like the existing user “{existing}” "
                                   "(look-alike letters or case); choose another name."},
    "user_exists": {"zh": "用户“{name}”已存在。", "en": "User “{name}” already exists."},
    "password_too_short": {"zh": "密码至少需要 {min} 个字符。", "en": "A password needs at least {min} characters."},
    "password_too_long": {"zh": "密码最长 {max_bytes} 字节。", "en": "A password has at most {max_bytes} bytes."},
    "password_empty": {"zh": "密码不能为空。", "en": "The password is empty."},
    "password_mismatch": {"zh": "两次输入的密码不一致,未保存。", "en": "The two passwords differ; nothing saved."},
    "agency_unknown": {"zh": "单位名录中没有“{agency}”;请按名录书写,例如“{example}”。",
                       "en": "“{agency}” is not in the list of agencies; spell it as the list does, "
                             "e.g. “{example}”."},
}

#: Field problem code → language → text.
PROBLEM_TEXTS: dict[str, dict[str, str]] = {
    "required": {"zh": "必填。", "en": "Required."},
    "not_text": {"zh": "须为文本。", "en": "Must be text."},
    "too_long": {"zh": "{length} 个字符,最多 {limit} 个。", "en": "{length} characters; at most {limit}."},
    "control_chars": {"zh": "含有控制字符。", "en": "Contains control characters."},
    "invalid_unicode": {"zh": "不是有效的 Unicode 文本。", "en": "Is not valid Unicode text."},
    "status_unknown": {"zh": "“{value}”不是有效的进展状态。", "en": "“{value}” is not a status of the taxonomy."},
    "date_invalid": {"zh": "不是日期(年-月-日):{value}。", "en": "Not a date (YYYY-MM-DD): {value}."},
    "date_before_plan": {"zh": "{date} 早于规划年度(自 {start} 起)。",
                         "en": "{date} is before the plan year (from {start})."},
    "date_future": {"zh": "{date} 晚于今天({today})。", "en": "{date} is in the future (today is {today})."},
    "version_invalid": {"zh": "版本号须为不小于 1 的整数;请重新载入项目。",
                        "en": "The version must be a whole number ≥ 1; reload the project."},
    "project_unknown": {"zh": "没有编号为“{project_id}”的项目。", "en": "No project has the id “{project_id}”."},
    "editor_agency": {"zh": "你的单位({agency})既不是该项目的牵头单位,也不是配合单位。",
                      "en": "Your agency ({agency}) neither leads nor cooperates on this project."},
    "alias_empty": {"zh": "别名须有旧编号和新编号。", "en": "An alias needs an old and a new id."},
    "alias_itself": {"zh": "编号“{id}”被设为自己的别名。", "en": "The id “{id}” is given as its own alias."},
    "alias_cycle": {"zh": "别名首尾相连成环:{ids}。", "en": "The aliases form a cycle: {ids}."},
    "baseline_empty_id": {"zh": "有项目的编号为空。", "en": "A project has an empty id."},
    "baseline_repeated_id": {"zh": "编号重复。", "en": "The id repeats."},
    "baseline_status": {"zh": "状态“{value}”不在状态分类中。", "en": "Status “{value}” is not in the taxonomy."},
}
