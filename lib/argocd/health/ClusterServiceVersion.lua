-- Health of an OLM ClusterServiceVersion (operators.coreos.com/v1alpha1).
-- Succeeded is Healthy, Failed is Degraded; a CSV being replaced by its
-- successor (Replacing, Deleting) still runs and is Healthy; every other
-- phase (Pending, InstallReady, Installing) is Progressing.
local hs = {}
if obj.status == nil or obj.status.phase == nil or obj.status.phase == "" then
  hs.status = "Progressing"
  hs.message = "Waiting for OLM to process the ClusterServiceVersion"
  return hs
end
local phase = obj.status.phase
local detail = ""
if obj.status.reason ~= nil then
  detail = obj.status.reason
end
if obj.status.message ~= nil then
  detail = detail .. ": " .. obj.status.message
end
if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" or phase == "Unknown" then
  hs.status = "Degraded"
elseif phase == "Replacing" or phase == "Deleting" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = phase
if detail ~= "" then
  hs.message = phase .. " (" .. detail .. ")"
end
return hs
